"""Files that leave the vault: programme reports (PDF/XLSX/CSV), calendars, personal
exports and team bundles. No Qt here (a test checks it)."""
