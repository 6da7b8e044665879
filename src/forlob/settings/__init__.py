"""Settings modules: base (shared), demo (make run), test (make test), production."""
