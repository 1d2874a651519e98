"""The Qt desktop interface: thin model/view classes and dialogs over app.models."""
