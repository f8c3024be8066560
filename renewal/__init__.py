"""renewal: compliance checker for Tmall's annual merchant contract renewal."""

__version__ = "0.1.0"
