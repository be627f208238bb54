"""Everything that is not screen. Never imports streamlit."""
