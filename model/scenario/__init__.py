"""Scenario files: schema, loading with ``extends``, resolution to model inputs."""

from model.scenario.loader import Scenario, ScenarioError, load_scenario
from model.scenario.registry import ASSUMPTIONS, INPUTS, LEVERS

__all__ = ["ASSUMPTIONS", "INPUTS", "LEVERS", "Scenario", "ScenarioError", "load_scenario"]
