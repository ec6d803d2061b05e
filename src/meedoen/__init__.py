"""Meedoen: one participation programme for residents under the Participatiewet and the Wmo."""

__version__ = "0.1.0"
