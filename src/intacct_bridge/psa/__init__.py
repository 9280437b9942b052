"""Professional services: projects and tasks, two-way with PROJECT and TASK."""
