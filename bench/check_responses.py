"""Prints, as JSON fields, how many responses the answering survey holds and for how many
distinct invitations, so the report can show that no token was answered twice."""
import json
import os
import sqlite3
import subprocess
import sys

survey = sys.argv[1]
url = os.environ["DATABASE_URL"]
queries = [
    f"SELECT COUNT(*) FROM responses WHERE survey_id = '{survey}'",
    f"SELECT COUNT(DISTINCT invitation_id) FROM responses WHERE survey_id = '{survey}'",
    f"SELECT COUNT(*) FROM invitations WHERE survey_id = '{survey}' AND completed_at IS NOT NULL",
    f"SELECT COUNT(*) FROM answers a JOIN responses r ON r.response_id = a.response_id WHERE r.survey_id = '{survey}'",
]
if url.startswith("sqlite:"):
    db = sqlite3.connect(url.split("://", 1)[1])
    values = [db.execute(q).fetchone()[0] for q in queries]
else:
    values = [int(subprocess.check_output(["psql", "-At", url, "-c", q]).strip()) for q in queries]
names = ["responses", "distinct_invitations", "completed_invitations", "answers"]
print(json.dumps(dict(zip(names, values)))[1:-1])
