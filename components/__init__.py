"""Reusable Streamlit pieces: the page shell, cached readers, filters, KPI tiles, charts, tables."""
