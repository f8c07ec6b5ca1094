# A year of 13 release surveys (12 closed, 1 open) to 20,000 people in 300 communities, with
# about half answering each and 9 communities gone quiet, written straight into a migrated
# Soundings SQLite database: the data bench/communities times the community pages on.
import sqlite3, sys, time, uuid, random
random.seed(7)
db = sqlite3.connect(sys.argv[1])
now = int(time.time()); DAY = 86400
TIERS = ["tier-essential", "tier-professional", "tier-enterprise"]
C = 300; PEOPLE = 20000
for c in range(C):
    db.execute("INSERT INTO communities (community_id,name,name_key,tier_id,created_at) VALUES (?,?,?,?,0)", (f"bc-{c:03}", f"Member {c:03}", f"member {c:03}", TIERS[c % 3]))
contacts = [(f"bp-{p}", p % C) for p in range(PEOPLE)]
db.executemany("INSERT INTO contacts (contact_id,email,created_at,name,community_id) VALUES (?,?,0,'',?)", [(cid, f"{cid}@big.example.org", f"bc-{c:03}") for cid, c in contacts])
for r in range(13):
    sid = str(uuid.uuid4()); at = now - 3*DAY if r == 12 else now - (350 - 29*r)*DAY
    db.execute("INSERT INTO releases (release_id,name,created_at) VALUES (?,?,0)", (f"brel-{r}", f"Big release {r}"))
    db.execute("INSERT INTO surveys (survey_id,title,status,created_at,opened_at,closed_at,release_id) VALUES (?,?,?,?,?,?,?)", (sid, f"Big survey {r}", "open" if r == 12 else "closed", at-DAY, at-DAY, None if r == 12 else at+14*DAY, f"brel-{r}"))
    db.execute("INSERT INTO questions (question_id,survey_id,position,kind,prompt) VALUES (?,?,0,'csat','How satisfied?')", (f"bq-{r}", sid))
    inv, resp, ans = [], [], []
    for cid, c in contacts:
        iid = f"bi-{r}-{cid}"
        # Every 37th community goes quiet for the last two closed surveys.
        rate = 0.0 if (c % 37 == 0 and r >= 10) else 0.45 + (c % 5) * 0.05
        done = at + 2*DAY if (r != 12 and random.random() < rate) else None
        inv.append((iid, sid, cid, "h" + iid, at, at, done))
        if done:
            resp.append((iid, sid, iid, done, done))
            ans.append((iid, f"bq-{r}", random.choice([1,2,3,4,4,5,5,5])))
    db.executemany("INSERT INTO invitations (invitation_id,survey_id,contact_id,token_hash,created_at,sent_at,completed_at) VALUES (?,?,?,?,?,?,?)", inv)
    db.executemany("INSERT INTO responses (response_id,survey_id,invitation_id,submitted_at,updated_at,completed) VALUES (?,?,?,?,?,1)", resp)
    db.executemany("INSERT INTO answers (response_id,question_id,score) VALUES (?,?,?)", ans)
    db.commit()
print("seeded big")
