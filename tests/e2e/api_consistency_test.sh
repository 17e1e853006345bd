#!/usr/bin/env bash
# API consistency over HTTPS with client certificates: optimistic concurrency (409 on a stale
# PUT), bad input refused with the right Status and nothing stored, watch resume across a
# restart, 410 after compaction, and no acknowledged create lost to kill -9.
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
start_server --compaction-window 20 --disable-agent --disable-kube-proxy --disable-dns
API="https://127.0.0.1:$PORT"
CM="$API/api/v1/namespaces/default/configmaps"

list_rv() { curl_api "$CM" | jq -r .metadata.resourceVersion; }
cm_count() { curl_api "$CM" | jq '.items | length'; }

# --- optimistic concurrency ---
code=$(curl_api -o "$WORK/c.json" -w '%{http_code}' -H 'Content-Type: application/json' -X POST "$CM" \
  -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cas"},"data":{"v":"0"}}')
expect_eq "create returns 201" "201" "$code"
rv=$(jq -r .metadata.resourceVersion "$WORK/c.json")
body1=$(jq -c '.data.v="1"' "$WORK/c.json"); body2=$(jq -c '.data.v="2"' "$WORK/c.json")
c1=$(curl_api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X PUT "$CM/cas" -d "$body1")
c2=$(curl_api -o "$WORK/c2.json" -w '%{http_code}' -H 'Content-Type: application/json' -X PUT "$CM/cas" -d "$body2")
expect_eq "first PUT with rv $rv succeeds, second conflicts" "200 409" "$c1 $c2"
expect_eq "conflict reason" "Conflict" "$(jq -r .reason "$WORK/c2.json")"
expect_match "conflict message as upstream" 'Operation cannot be fulfilled on configmaps "cas": the object has been modified' "$(jq -r .message "$WORK/c2.json")"
expect_eq "the winner's value is stored" "1" "$(curl_api "$CM/cas" | jq -r .data.v)"

# --- bad input: right code and reason, nothing stored ---
before_rv=$(list_rv); before_n=$(cm_count)
bad() {  # bad DESC EXPECTED_CODE EXPECTED_REASON METHOD URL BODY [CONTENT_TYPE]
  local out code
  code=$(curl_api -o "$WORK/bad.json" -w '%{http_code}' -H "Content-Type: ${7:-application/json}" -X "$4" "$5" --data-binary "$6")
  expect_eq "$1 → $2 $3" "$2 $3" "$code $(jq -r .reason "$WORK/bad.json" 2>/dev/null)"
}
bad "malformed JSON" 400 BadRequest POST "$CM" '{"apiVersion":"v1","kind":"ConfigMap",'
bad "kind not matching the path" 400 BadRequest POST "$CM" '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}'
bad "apiVersion not matching the path" 400 BadRequest POST "$CM" '{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}'
bad "name not matching the URL" 400 BadRequest PUT "$CM/cas" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}'
bad "invalid DNS-1123 name" 422 Invalid POST "$CM" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}'
bad "missing name" 422 Invalid POST "$CM" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}'
bad "unknown field under Strict" 400 BadRequest POST "$CM?fieldValidation=Strict" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"bogus":1}'
bad "malformed protobuf body" 400 BadRequest POST "$CM" 'k8s' application/vnd.kubernetes.protobuf
bad "unsupported media type" 415 UnsupportedMediaType POST "$CM" 'x' application/cbor
bad "namespace mismatch" 400 BadRequest POST "$CM" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"kube-system"}}'
bad "missing namespace" 404 NotFound POST "$API/api/v1/namespaces/nope/configmaps" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}'
bad "bad label selector" 400 BadRequest GET "$CM?labelSelector=a%20in%20(" ''
bad "unsupported field selector" 400 BadRequest GET "$CM?fieldSelector=spec.foo%3Dx" ''
head -c $((3 * 1024 * 1024 + 100)) /dev/zero | tr '\0' 'a' >"$WORK/big.txt"
printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":"%s"}}' "$(cat "$WORK/big.txt")" >"$WORK/big.json"
code=$(curl_api -o "$WORK/bad.json" -w '%{http_code}' -H 'Content-Type: application/json' -X POST "$CM" --data-binary @"$WORK/big.json")
expect_eq "body over 3 MiB → 413" "413" "$code"
expect_eq "bad input stored nothing" "$before_rv $before_n" "$(list_rv) $(cm_count)"
expect_eq "unauthenticated request → 401" "401" "$(curl -sk -o /dev/null -w '%{http_code}' "$CM")"
expect_eq "unauthenticated /healthz allowed" "200" "$(curl -sk -o /dev/null -w '%{http_code}' "$API/healthz")"
expect_match "metrics in Prometheus format" '^apiserver_request_total\{' "$(curl_api "$API/metrics")"

# --- watch resumes across a restart from its last resourceVersion ---
start_rv=$(list_rv)
curl_api -N "$CM?watch=true&resourceVersion=$start_rv" >"$WORK/w1.out" 2>/dev/null &
WP=$!
sleep 0.5
for n in w1 w2; do
  curl_api -o /dev/null -H 'Content-Type: application/json' -X POST "$CM" -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$n\"}}"
done
sleep 0.5
stop_server TERM
wait $WP 2>/dev/null
last_rv=$(tail -1 "$WORK/w1.out" | jq -r .object.metadata.resourceVersion)
expect_eq "watch saw both creates before the restart" "w1 w2" "$(jq -r .object.metadata.name "$WORK/w1.out" | tr '\n' ' ' | sed 's/ $//')"
start_server --compaction-window 20 --disable-agent --disable-kube-proxy --disable-dns
for n in w3 w4; do
  curl_api -o /dev/null -H 'Content-Type: application/json' -X POST "$CM" -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$n\"}}"
done
curl_api -N "$CM?watch=true&resourceVersion=$last_rv&timeoutSeconds=2" >"$WORK/w2.out" 2>/dev/null
expect_eq "resumed watch sees exactly what happened after its last rv" "ADDED:w3 ADDED:w4" \
  "$(jq -r '.type + ":" + .object.metadata.name' "$WORK/w2.out" | tr '\n' ' ' | sed 's/ $//')"

# --- service IPs and node ports are never handed out twice, also across the restart above ---
SVC="$API/api/v1/namespaces/default/services"
for n in s1 s2 s3 s4; do
  curl_api -o /dev/null -H 'Content-Type: application/json' -X POST "$SVC" \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"$n\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}"
done
ips=$(curl_api "$SVC" | jq -r '.items[].spec.clusterIP' | sort)
expect_eq "five distinct ClusterIPs (kubernetes + 4)" "5" "$(echo "$ips" | sort -u | wc -l)"
ports=$(curl_api "$SVC" | jq -r '.items[].spec.ports[].nodePort // empty' | sort -u | wc -l)
expect_eq "four distinct node ports" "4" "$ports"

# --- compaction: a revision older than the window gets 410 Expired ---
for i in $(seq 1 60); do
  curl_api -o /dev/null -H 'Content-Type: application/json' -X PUT "$CM/w3" -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"w3\"},\"data\":{\"i\":\"$i\"}}"
done
gone=""
for _ in $(seq 1 40); do
  out=$(curl_api -N "$CM?watch=true&resourceVersion=$start_rv&timeoutSeconds=1")
  if echo "$out" | jq -e 'select(.type=="ERROR") | .object.code == 410' >/dev/null 2>&1; then gone=yes; break; fi
  sleep 0.5
done
expect_eq "watch from a compacted revision gets 410 Expired" "yes" "$gone"
code=$(curl_api -o "$WORK/l.json" -w '%{http_code}' "$CM?resourceVersion=$start_rv&resourceVersionMatch=Exact")
expect_eq "exact list at a compacted revision gets 410" "410 Expired" "$code $(jq -r .reason "$WORK/l.json")"

# --- kill -9 during a burst of concurrent creates: every 201 survives ---
: >"$WORK/acked"
burst() {
  for i in $(seq 1 400); do
    local name="burst-$1-$i"
    c=$(curl_api -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -X POST "$CM" \
      -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$name\"}}" 2>/dev/null)
    [ "$c" = "201" ] && echo "$name" >>"$WORK/acked"
  done
}
for w in 1 2 3 4 5 6 7 8; do burst $w & done
sleep 1.5
stop_server KILL
wait 2>/dev/null
acked=$(wc -l <"$WORK/acked")
start_server --compaction-window 20 --disable-agent --disable-kube-proxy --disable-dns
curl_api "$CM" | jq -r '.items[].metadata.name' | sort >"$WORK/present"
missing=$(sort "$WORK/acked" | comm -23 - "$WORK/present" | wc -l)
if [ "$acked" -gt 0 ]; then pass "burst acknowledged $acked creates before kill -9"; else fail "no create was acknowledged before the kill"; fi
expect_eq "no acknowledged create lost after kill -9" "0" "$missing"

finish
