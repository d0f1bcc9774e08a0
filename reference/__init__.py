"""Reference data: facts about the world the platform does not decide (the regions of Kazakhstan)."""
