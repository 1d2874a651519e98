"""The agencies that report to the standing office: their list, fill-in forms, collection.

No Qt here: the window and the command line reach this through app/operations/agency.py.
"""
