print("scopelab")
