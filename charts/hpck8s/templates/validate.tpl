{{/*
Checks across values that values.schema.json cannot express. Each failure says which key to change.
Included from every template through hpck8s.validate, so helm template/install/lint all stop on them.
*/}}
{{- define "hpck8s.validate" -}}
{{- $w := .Values.worker }}
{{- if lt (int $w.terminationGracePeriodSeconds) (add (int $w.shutdownTimeoutSeconds) 10 | int) }}
{{- fail (printf "worker.terminationGracePeriodSeconds (%d) must be at least worker.shutdownTimeoutSeconds (%d) + 10: the worker drains its shards for shutdownTimeoutSeconds, then daprd needs time to stop before Kubernetes kills the pod. Raise worker.terminationGracePeriodSeconds or lower worker.shutdownTimeoutSeconds." (int $w.terminationGracePeriodSeconds) (int $w.shutdownTimeoutSeconds)) }}
{{- end }}
{{- if gt (int $w.scaling.minReplicas) (int $w.scaling.maxReplicas) }}
{{- fail (printf "worker.scaling.minReplicas (%d) must not exceed worker.scaling.maxReplicas (%d)." (int $w.scaling.minReplicas) (int $w.scaling.maxReplicas)) }}
{{- end }}
{{- if and (ne $w.scaling.mode "operator") (lt (int $w.scaling.minReplicas) 1) }}
{{- fail (printf "worker.scaling.minReplicas must be at least 1 with worker.scaling.mode %s (only the operator mode scales workers to zero)." $w.scaling.mode) }}
{{- end }}
{{- if eq $w.appId .Values.operator.appId }}
{{- fail (printf "worker.appId and operator.appId are both %q: each Dapr app needs its own app id." $w.appId) }}
{{- end }}
{{- end }}
