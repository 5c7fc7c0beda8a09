"""What several layers share: the request's vocabulary, its events and their rules."""
