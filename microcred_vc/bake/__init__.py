"""bake package."""
