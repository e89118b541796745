#!/bin/sh
# BENCH DOUBLE for k6 (no k6 binary here): a shell script starts in milliseconds, so the
# scheduler benchmark measures the runner, not Node start-up of the test double. It honours only
# what the bench needs: `-e VIGIL_SUMMARY_FILE=…` and exit code 0 with a probe summary.
summary=""
while [ $# -gt 0 ]; do
  case "$1" in
    -e) case "$2" in VIGIL_SUMMARY_FILE=*) summary="${2#VIGIL_SUMMARY_FILE=}";; esac; shift 2;;
    *) shift;;
  esac
done
[ -n "$summary" ] && cat > "$summary" <<'JSON'
{"version":1,"scenario":"probe","profile":"smoke","ok":true,"thresholds":[{"metric":"vigil_walks_completed","expression":"count==1","ok":true}],"metrics":{},"checks":{"passes":1,"fails":0},"durationMs":50,
 "probe":{"ok":true,"steps":[{"step":"discovery","ok":true,"durationMs":5},{"step":"token","ok":true,"durationMs":7},{"step":"tools_call","ok":true,"durationMs":9}],"compliance":[],"toolsHash":"abc","tokenExpiresInSeconds":3600}}
JSON
echo "default   [ 100% ] 1 VUs  0m00.1s/1m0s  1/1 iters, 1 per VU"
exit 0
