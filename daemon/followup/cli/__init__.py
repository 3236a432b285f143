"""The command line: click commands, their output and exit codes."""
