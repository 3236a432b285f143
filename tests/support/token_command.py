"""A ``token_command`` for tests: each run prints the next line of a file of tokens."""

from __future__ import annotations

from pathlib import Path


class TokenCommand:
    """Prints ``tokens`` one per run (nothing once they are used up); counts its runs."""

    def __init__(self, root: Path, *tokens: str) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.count = root / "token-runs"
        lines = root / "tokens"
        lines.write_text("".join(f"{t}\n" for t in tokens))
        script = root / "token.sh"
        script.write_text(
            f"n=$(cat {self.count} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {self.count}\n"
            f'sed -n "${{n}}p" {lines}\n'
        )
        self.command = f"sh {script}"

    @property
    def runs(self) -> int:
        return int(self.count.read_text()) if self.count.exists() else 0
