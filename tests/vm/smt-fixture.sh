# Profiles and a model for scx_smt's tests and bench/smt: jobs described by
# two sequential resources, "mem" and "fp", used MEM and FP of the time.
# Sourced (POSIX sh).

# smt_profile DIR NAME MEM FP ID: DIR/NAME.json
smt_profile() {
	cat >"$1/$2.json" <<JSON
{ "job_id": $5, "name": "$2", "single_ipc": 1.0, "l3_cache_ipc": 1.0,
  "resources": { "mem": { "sensitivity": $3, "intensity": $3, "usage": $3, "base_slowdown": 0.1 },
                 "fp": { "sensitivity": $4, "intensity": $4, "usage": $4, "base_slowdown": 0.1 } } }
JSON
}

# smt_model DIR: a model that charges each resource's contention in full
smt_model() {
	cat >"$1/prediction_model_20261127-000000.json" <<JSON
{ "intercept": 0.0, "coefficients": [0.1, 1.0, 1.0],
  "resources": [ { "name": "mem", "activation": "sequential" },
                 { "name": "fp", "activation": "sequential" } ] }
JSON
}
