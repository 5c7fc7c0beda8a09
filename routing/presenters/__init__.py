"""What the interfaces show: pages and charts assembled from selectors."""
