{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "hpck8s.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, plus the chart name unless the release name already holds it. */}}
{{- define "hpck8s.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "hpck8s.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "hpck8s.labels" -}}
helm.sh/chart: {{ include "hpck8s.chart" . }}
app.kubernetes.io/name: {{ include "hpck8s.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hpck8s
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of the release's pods (all components). */}}
{{- define "hpck8s.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hpck8s.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "hpck8s.operator.fullname" -}}
{{- printf "%s-operator" (include "hpck8s.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hpck8s.worker.fullname" -}}
{{- printf "%s-worker" (include "hpck8s.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hpck8s.operator.selectorLabels" -}}
{{ include "hpck8s.selectorLabels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "hpck8s.worker.selectorLabels" -}}
{{ include "hpck8s.selectorLabels" . }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "hpck8s.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "hpck8s.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "hpck8s.worker.serviceAccountName" -}}
{{- if .Values.worker.serviceAccount.create }}
{{- default (include "hpck8s.worker.fullname" .) .Values.worker.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.worker.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the Dapr API token (key "token"). */}}
{{- define "hpck8s.apiTokenSecretName" -}}
{{- default (printf "%s-dapr-api-token" (include "hpck8s.fullname" .)) .Values.dapr.apiToken.existingSecret }}
{{- end }}

{{- define "hpck8s.daprConfigName" -}}
{{- printf "%s-dapr-config" (include "hpck8s.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hpck8s.resiliencyName" -}}
{{- printf "%s-resiliency" (include "hpck8s.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the actor state store component: the existing one, or the one this chart creates. */}}
{{- define "hpck8s.stateStoreName" -}}
{{- if eq .Values.stateStore.type "existing" }}
{{- .Values.stateStore.existing }}
{{- else }}
{{- default (printf "%s-statestore" (include "hpck8s.fullname" .)) .Values.stateStore.name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "hpck8s.leaseName" -}}
{{- default (include "hpck8s.operator.fullname" .) .Values.operator.leaderElection.leaseName }}
{{- end }}

{{/* The workers' daprd gRPC API, through the Service Dapr creates for every app id (<app-id>-dapr). */}}
{{- define "hpck8s.workerDaprGrpcEndpoint" -}}
{{- printf "http://%s-dapr.%s.svc.cluster.local:50001" .Values.worker.appId .Release.Namespace }}
{{- end }}

{{- define "hpck8s.image" -}}
{{- printf "%s:%s" .image.repository (default .chart.AppVersion .image.tag) }}
{{- end }}

{{/* Seconds as a .NET TimeSpan ("00:00:25"). */}}
{{- define "hpck8s.timespan" -}}
{{- $s := int . }}
{{- printf "%02d:%02d:%02d" (div $s 3600) (div (mod $s 3600) 60) (mod $s 60) }}
{{- end }}

{{/*
Dapr sidecar annotations shared by both Deployments. Call with (dict "root" $ "appId" ... "port" ...).
*/}}
{{- define "hpck8s.daprAnnotations" -}}
{{- $v := .root.Values -}}
dapr.io/enabled: "true"
dapr.io/app-id: {{ .appId | quote }}
dapr.io/app-port: {{ .port | quote }}
dapr.io/app-protocol: http
dapr.io/config: {{ include "hpck8s.daprConfigName" .root | quote }}
dapr.io/api-token-secret: {{ include "hpck8s.apiTokenSecretName" .root | quote }}
dapr.io/log-level: {{ $v.dapr.logLevel | quote }}
dapr.io/log-as-json: "true"
dapr.io/max-body-size: {{ $v.dapr.maxBodySize | quote }}
dapr.io/enable-metrics: {{ $v.dapr.configuration.metrics | quote }}
dapr.io/metrics-port: "9090"
dapr.io/enable-app-health-check: "true"
dapr.io/app-health-check-path: /healthz
dapr.io/sidecar-seccomp-profile-type: RuntimeDefault
dapr.io/sidecar-cpu-request: {{ $v.dapr.sidecarResources.requests.cpu | quote }}
dapr.io/sidecar-memory-request: {{ $v.dapr.sidecarResources.requests.memory | quote }}
dapr.io/sidecar-cpu-limit: {{ $v.dapr.sidecarResources.limits.cpu | quote }}
dapr.io/sidecar-memory-limit: {{ $v.dapr.sidecarResources.limits.memory | quote }}
{{- end }}

{{/* Pod-level security context of both Deployments. */}}
{{- define "hpck8s.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container security context: non-root, read-only root, no privilege escalation, no capabilities. */}}
{{- define "hpck8s.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Environment both apps share: the Dapr API token and OTLP export. */}}
{{- define "hpck8s.commonEnv" -}}
- name: DAPR_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "hpck8s.apiTokenSecretName" .root }}
      key: token
- name: OTEL_SERVICE_NAME
  value: {{ .appId | quote }}
{{- with .root.Values.telemetry.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}

{{/* Port of the state store, for the NetworkPolicy. */}}
{{- define "hpck8s.stateStorePorts" -}}
{{- if .Values.networkPolicy.stateStore.ports }}
{{- toJson .Values.networkPolicy.stateStore.ports }}
{{- else if eq .Values.stateStore.type "redis" }}
{{- $port := last (splitList ":" .Values.stateStore.redis.host) }}
{{- if regexMatch "^[0-9]+$" $port }}[{{ $port }}]{{ else }}[6379]{{ end }}
{{- else if eq .Values.stateStore.type "postgresql" }}[5432]
{{- else }}[]
{{- end }}
{{- end }}

{{/* Egress every pod of the release needs: DNS, the Dapr control plane, OTLP export, extraEgress. */}}
{{- define "hpck8s.networkPolicy.commonEgress" -}}
{{- $np := .Values.networkPolicy -}}
- to:
    - namespaceSelector:
        {{- toYaml $np.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $np.dns.podSelector | nindent 8 }}
  ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .Values.dapr.controlPlaneNamespace }}
  ports:
    {{- range $np.daprControlPlanePorts }}
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
{{- if or .Values.telemetry.otlpEndpoint .Values.dapr.configuration.tracing.otlpEndpoint }}
- ports:
    {{- range $np.otlpPorts }}
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
{{- end }}
{{- with $np.extraEgress }}
{{ toYaml . }}
{{- end }}
{{- end }}
