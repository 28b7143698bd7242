from homeward.services.tests.helpers import consented_child, ngo

__all__ = ["consented_child", "ngo"]
