"""jsonld package."""
