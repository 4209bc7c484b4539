"""The HTTP service: W3C VC API endpoints, status lists and a verify page."""

from microcred_vc.server.app import create_app
from microcred_vc.server.config import ServerConfig, load_config

__all__ = ["ServerConfig", "create_app", "load_config"]
