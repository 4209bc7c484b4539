"""jose package."""
