"""Policy theory: tax schedules with redistribution, welfare functions, voting on objectives, and
the economy as a Stackelberg game with a principal that picks the tax schedule.

Import from the submodules (``theory.policy.tax``, ``theory.policy.welfare``, ...).
"""
