"""Exercise sets: choosing exercises for a session (`workbook pick`) and writing set files."""
