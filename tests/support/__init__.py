"""Test support: real servers, fakes and harnesses shared by several test modules."""
