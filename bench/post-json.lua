-- wrk script: POST a JSON body from the environment (BODY) with an Origin header (ORIGIN).
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Origin"] = os.getenv("ORIGIN")
