"""IVR menus: a pure state machine the call flow drives with the keys it reads."""

from callserver.ivr.actions import Action, Collect, Done, Play
from callserver.ivr.choice import menu_for
from callserver.ivr.menu import MenuState, start, step

__all__ = ["Action", "Collect", "Done", "MenuState", "Play", "menu_for", "start", "step"]
