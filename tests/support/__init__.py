"""Helpers shared by the tests: plain functions and classes, imported where they are used.

Fixtures live in the conftest modules; what a test imports lives here.
"""
