"""What every document the app writes shares: the embedded Vietnamese serif fonts. No Qt."""
