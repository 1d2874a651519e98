"""The domain and the store. Plain Python: nothing here imports Qt."""
