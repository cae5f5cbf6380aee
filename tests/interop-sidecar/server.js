'use strict';
// A TaskHubSidecarService gRPC server around @microsoft/durabletask-js's InMemoryOrchestrationBackend: an engine
// HpcK8s did not write, served the way daprd serves workflows, so the HpcK8s worker and client can be tested against it.
//
// Usage: node server.js            -> prints "LISTENING <port>" on stdout once bound to 127.0.0.1:<free port>
// stdin commands (one per line):  drop   -> end every GetWorkItems stream with UNAVAILABLE (the worker must reconnect)
//                                 stats  -> prints "STATS <json>" (streams, in-flight items, rejected completions)
// The process exits when stdin closes, so it never outlives the test run that started it.
//
// What the adapter adds to the backend (see docs/dapr-workflow-protocol.md, "Testing against ... in-memory engine"):
// - events that arrive while a turn is in flight are held back for the next turn (the backend would commit them unseen);
// - every turn's new events start with an OrchestratorStarted (Dapr: WorkflowStarted) stamped now;
// - one worker per instance at a time; a completion token per work item, checked on completion;
// - the work of a stream that ends is re-queued; finished instances are not dispatched again;
// - the worker's TaskFailureDetails are kept as sent (activity and child failures);
// - Dapr-only fields that Microsoft's decoder would misread are stripped from the raw bytes before decoding
//   (ScheduleTaskAction 5 taskExecutionId is remembered and handed back in ActivityRequest 7, as daprd does);
// - executionId is left empty in the request, as daprd up to 1.18 does (workers read it from ExecutionStarted).

const crypto = require('crypto');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const pb = require('@microsoft/durabletask-js/dist/proto/orchestrator_service_pb');
const { TaskHubSidecarServiceService } = require('@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb');
const { InMemoryOrchestrationBackend } = require('@microsoft/durabletask-js/dist/testing/in-memory-backend');
const pbh = require('@microsoft/durabletask-js/dist/utils/pb-helper.util');
const { Empty } = require('google-protobuf/google/protobuf/empty_pb');
const { StringValue, BoolValue } = require('google-protobuf/google/protobuf/wrappers_pb');
const wire = require('./wire');

const S = pb.OrchestrationStatus;
const backend = new InMemoryOrchestrationBackend(100000);
const streams = new Map(); // stream id -> { call }
const inflightTurns = new Map(); // instance id -> { streamId, token, backendToken, count, prepended }
const inflightActivities = new Map(); // token -> { streamId, item }
const issuedTokens = new Set();
const stats = { streamsOpened: 0, turnsDispatched: 0, activitiesDispatched: 0, staleCompletions: 0, rejectedCompletions: 0, strippedFields: {} };
let nextStreamId = 0;
let nextToken = 0;
let roundRobin = 0;

function log(message) {
  if (process.env.INTEROP_SIDECAR_VERBOSE) {
    process.stderr.write(`[sidecar] ${message}\n`);
  }
}

function isTerminal(status) {
  return status === S.ORCHESTRATION_STATUS_COMPLETED || status === S.ORCHESTRATION_STATUS_FAILED || status === S.ORCHESTRATION_STATUS_TERMINATED;
}

function stringValue(value) {
  if (value === undefined || value === null) return undefined;
  const sv = new StringValue();
  sv.setValue(value);
  return sv;
}

function issueToken(prefix) {
  const token = `${prefix}-${++nextToken}-${crypto.randomBytes(4).toString('hex')}`;
  issuedTokens.add(token);
  return token;
}

// ------------------------------------------------------------------------------------------------------------------
// Raw-bytes handling for fields whose meaning differs between Dapr and Microsoft's lineage.

// WorkflowResponse (Microsoft: OrchestratorResponse): 6 = Dapr version / Microsoft orchestrationTraceContext.
// WorkflowAction: 9 = Dapr router / Microsoft rewind; 10, 11 = Dapr-only action kinds.
// ScheduleTaskAction: 4 = router/tags, 5 = taskExecutionId/parentTraceContext, 6 = historyPropagationScope.
// CreateChildWorkflowAction: 5 = router/parentTraceContext, 6 = historyPropagationScope/tags, 7 = retry info.
// HistoryEvent (carry-over events): 30 = Dapr router / Microsoft executionRewound.
const historyEventSpec = { strip: [30, 31, 32] };
const workflowResponseSpec = {
  strip: [6, 7, 8, 9],
  children: {
    2: {
      strip: [9, 10, 11],
      children: {
        2: { strip: [4, 5, 6] },
        3: { strip: [5, 6, 7] },
        6: { children: { 5: historyEventSpec } },
      },
    },
  },
};

function countStripped(message) {
  return (path) => {
    const key = `${message}.${path}`;
    stats.strippedFields[key] = (stats.strippedFields[key] || 0) + 1;
  };
}

// taskExecutionId of every ScheduleTask action, by action id, read before field 5 is stripped.
function readTaskExecutionIds(buffer) {
  const ids = new Map();
  for (const action of wire.fields(buffer).filter((f) => f.field === 2)) {
    const actionFields = wire.fields(action.value);
    const id = wire.int32(actionFields.find((f) => f.field === 1)?.value ?? 0);
    const schedule = actionFields.find((f) => f.field === 2);
    if (!schedule) continue;
    const teid = wire.fields(schedule.value).find((f) => f.field === 5);
    if (teid) ids.set(id, teid.value.toString('utf8'));
  }
  return ids;
}

function withRawHandling(definition) {
  const service = { ...definition };
  const complete = definition.completeOrchestratorTask;
  service.completeOrchestratorTask = {
    ...complete,
    requestDeserialize: (buffer) => {
      const taskExecutionIds = readTaskExecutionIds(buffer);
      const cleaned = wire.rewrite(buffer, workflowResponseSpec, countStripped('WorkflowResponse'));
      const message = complete.requestDeserialize(cleaned);
      message.taskExecutionIds = taskExecutionIds;
      return message;
    },
  };
  const simple = (name, strip) => {
    const method = definition[name];
    service[name] = { ...method, requestDeserialize: (buffer) => method.requestDeserialize(wire.rewrite(buffer, { strip }, countStripped(name))) };
  };
  simple('startInstance', [8, 9, 10]);
  simple('purgeInstances', [4, 5]);
  simple('getWorkItems', [1, 2, 3, 4, 10, 11]);
  const getWorkItems = service.getWorkItems;
  service.getWorkItems = {
    ...getWorkItems,
    // Activity items are encoded here so that ActivityRequest 7 can carry Dapr's taskExecutionId (Microsoft: tags).
    responseSerialize: (item) => {
      if (!item.activity) return getWorkItems.responseSerialize(item);
      let request = Buffer.from(item.activity.serializeBinary());
      if (item.taskExecutionId) request = Buffer.concat([request, wire.stringField(7, item.taskExecutionId)]);
      return Buffer.concat([wire.bytesField(2, request), wire.stringField(10, item.token)]);
    },
  };
  return service;
}

// ------------------------------------------------------------------------------------------------------------------
// Dispatching

function pickStream() {
  const ids = [...streams.keys()];
  if (ids.length === 0) return undefined;
  const id = ids[roundRobin++ % ids.length];
  return { id, stream: streams.get(id) };
}

// The backend rebuilds a child's failure from its message only; hand the parent the child's own details.
function keepChildFailureDetails(instance) {
  for (const event of instance.pendingEvents) {
    if (!event.hasSuborchestrationinstancefailed()) continue;
    const failed = event.getSuborchestrationinstancefailed();
    const created = instance.history.find((e) => e.hasSuborchestrationinstancecreated() && e.getEventid() === failed.getTaskscheduledid());
    const child = created && backend.getInstance(created.getSuborchestrationinstancecreated().getInstanceid());
    if (child && child.failureDetails) failed.setFailuredetails(child.failureDetails);
  }
}

function dispatchTurn(instance, target) {
  let prepended;
  const first = instance.pendingEvents[0];
  if (!first || !first.hasOrchestratorstarted()) {
    prepended = pbh.newOrchestratorStartedEvent(new Date());
    instance.pendingEvents.unshift(prepended);
  }
  keepChildFailureDetails(instance);
  const newEvents = instance.pendingEvents.slice();
  const token = issueToken('turn');
  inflightTurns.set(instance.instanceId, {
    streamId: target.id, token, backendToken: instance.completionToken, count: newEvents.length, prepended,
  });
  const request = new pb.OrchestratorRequest();
  request.setInstanceid(instance.instanceId);
  request.setPasteventsList(instance.history.slice());
  request.setNeweventsList(newEvents);
  const item = new pb.WorkItem();
  item.setOrchestratorrequest(request);
  item.setCompletiontoken(token);
  stats.turnsDispatched++;
  log(`turn ${instance.instanceId} past=${instance.history.length} new=${newEvents.length} -> stream ${target.id}`);
  target.stream.call.write(item);
}

function dispatchActivity(item, target) {
  const instance = backend.getInstance(item.instanceId);
  const token = issueToken('activity');
  inflightActivities.set(token, { streamId: target.id, item });
  const request = new pb.ActivityRequest();
  request.setName(item.name);
  request.setTaskid(item.taskId);
  if (item.input !== undefined) request.setInput(stringValue(item.input));
  const workflow = new pb.OrchestrationInstance();
  workflow.setInstanceid(item.instanceId);
  if (instance && instance.executionId) workflow.setExecutionid(stringValue(instance.executionId));
  request.setOrchestrationinstance(workflow);
  stats.activitiesDispatched++;
  target.stream.call.write({ activity: request, taskExecutionId: item.taskExecutionId, token });
}

function pump() {
  if (streams.size === 0) return;
  let instance;
  while ((instance = backend.getNextOrchestrationWorkItem())) {
    // One worker per instance: an instance in flight is queued again when its turn completes.
    if (inflightTurns.has(instance.instanceId)) continue;
    if (isTerminal(instance.status)) {
      instance.pendingEvents = [];
      continue;
    }
    dispatchTurn(instance, pickStream());
  }
  let activity;
  while ((activity = backend.getNextActivityWorkItem())) {
    const owner = backend.getInstance(activity.instanceId);
    if (!owner || isTerminal(owner.status)) continue;
    dispatchActivity(activity, pickStream());
  }
}

function streamEnded(streamId) {
  if (!streams.delete(streamId)) return;
  log(`stream ${streamId} ended`);
  for (const [instanceId, turn] of inflightTurns) {
    if (turn.streamId !== streamId) continue;
    inflightTurns.delete(instanceId);
    const instance = backend.getInstance(instanceId);
    if (!instance) continue;
    if (turn.prepended && instance.pendingEvents[0] === turn.prepended) instance.pendingEvents.shift();
    if (instance.pendingEvents.length > 0) backend.enqueueOrchestration(instanceId);
  }
  for (const [token, activity] of inflightActivities) {
    if (activity.streamId !== streamId) continue;
    inflightActivities.delete(token);
    backend.activityQueue.unshift(activity.item);
  }
}

function dropStreams() {
  for (const [id, stream] of [...streams]) {
    streamEnded(id);
    stream.call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'interop sidecar dropped the work item stream' });
  }
}

// ------------------------------------------------------------------------------------------------------------------
// Handlers

function fail(callback, code, details) {
  callback({ code, details });
}

function buildState(instance, withPayloads) {
  const state = new pb.OrchestrationState();
  state.setInstanceid(instance.instanceId);
  state.setName(instance.name);
  state.setOrchestrationstatus(instance.status);
  state.setCreatedtimestamp(pbh.newTimestamp(instance.createdAt));
  state.setLastupdatedtimestamp(pbh.newTimestamp(instance.lastUpdatedAt));
  if (instance.executionId) state.setExecutionid(stringValue(instance.executionId));
  if (withPayloads) {
    if (instance.input !== undefined) state.setInput(stringValue(instance.input));
    if (instance.output !== undefined) state.setOutput(stringValue(instance.output));
    if (instance.customStatus) state.setCustomstatus(stringValue(instance.customStatus));
  }
  if (instance.failureDetails) state.setFailuredetails(instance.failureDetails);
  return state;
}

function instanceResponse(instance, withPayloads) {
  const response = new pb.GetInstanceResponse();
  response.setExists(Boolean(instance));
  if (instance) response.setOrchestrationstate(buildState(instance, withPayloads));
  return response;
}

function childrenOf(instance) {
  return instance.history
    .filter((e) => e.hasSuborchestrationinstancecreated())
    .map((e) => e.getSuborchestrationinstancecreated().getInstanceid());
}

function waitFor(call, callback, predicate) {
  const id = call.request.getInstanceid();
  const withPayloads = call.request.getGetinputsandoutputs();
  if (!backend.getInstance(id)) return callback(null, instanceResponse(undefined, false));
  let done = false;
  call.on('cancelled', () => { done = true; });
  backend.waitForState(id, predicate, 0)
    .then((instance) => { if (!done) callback(null, instanceResponse(instance, withPayloads)); })
    .catch((error) => { if (!done) fail(callback, grpc.status.UNAVAILABLE, String(error)); });
}

const handlers = {
  Hello(call, callback) {
    callback(null, new Empty());
  },

  StartInstance(call, callback) {
    const request = call.request;
    const id = request.getInstanceid() || crypto.randomUUID().replace(/-/g, '');
    const existing = backend.getInstance(id);
    if (existing && !isTerminal(existing.status)) {
      return fail(callback, grpc.status.ALREADY_EXISTS, `workflow instance '${id}' already exists and is not finished`);
    }
    if (existing) backend.purge(id); // reusing a finished instance's id restarts it, as on daprd
    const start = request.getScheduledstarttimestamp();
    backend.createInstance(id, request.getName(), request.getInput()?.getValue(), start ? start.toDate() : undefined);
    const response = new pb.CreateInstanceResponse();
    response.setInstanceid(id);
    callback(null, response);
    pump();
  },

  GetInstance(call, callback) {
    callback(null, instanceResponse(backend.getInstance(call.request.getInstanceid()), call.request.getGetinputsandoutputs()));
  },

  WaitForInstanceStart(call, callback) {
    waitFor(call, callback, (i) => i.status !== S.ORCHESTRATION_STATUS_PENDING);
  },

  WaitForInstanceCompletion(call, callback) {
    waitFor(call, callback, (i) => isTerminal(i.status));
  },

  RaiseEvent(call, callback) {
    try {
      backend.raiseEvent(call.request.getInstanceid(), call.request.getName(), call.request.getInput()?.getValue());
    } catch (error) {
      return fail(callback, grpc.status.NOT_FOUND, String(error.message));
    }
    callback(null, new pb.RaiseEventResponse());
    pump();
  },

  TerminateInstance(call, callback) {
    const terminate = (id, output, recursive) => {
      const instance = backend.getInstance(id);
      if (!instance) return false;
      backend.terminate(id, output);
      if (recursive) for (const child of childrenOf(instance)) terminate(child, output, true);
      return true;
    };
    if (!terminate(call.request.getInstanceid(), call.request.getOutput()?.getValue(), call.request.getRecursive())) {
      return fail(callback, grpc.status.NOT_FOUND, `workflow instance '${call.request.getInstanceid()}' not found`);
    }
    callback(null, new pb.TerminateResponse());
    pump();
  },

  SuspendInstance(call, callback) {
    try {
      backend.suspend(call.request.getInstanceid());
    } catch (error) {
      return fail(callback, grpc.status.NOT_FOUND, String(error.message));
    }
    callback(null, new pb.SuspendResponse());
    pump();
  },

  ResumeInstance(call, callback) {
    try {
      backend.resume(call.request.getInstanceid());
    } catch (error) {
      return fail(callback, grpc.status.NOT_FOUND, String(error.message));
    }
    callback(null, new pb.ResumeResponse());
    pump();
  },

  PurgeInstances(call, callback) {
    const purge = (id, recursive) => {
      const instance = backend.getInstance(id);
      if (!instance) return 0;
      const children = recursive ? childrenOf(instance) : [];
      if (!backend.purge(id)) return 0;
      return 1 + children.reduce((sum, child) => sum + purge(child, true), 0);
    };
    const response = new pb.PurgeInstancesResponse();
    response.setDeletedinstancecount(purge(call.request.getInstanceid(), call.request.getRecursive()));
    const complete = new BoolValue();
    complete.setValue(true);
    response.setIscomplete(complete);
    callback(null, response);
  },

  GetWorkItems(call) {
    const id = ++nextStreamId;
    streams.set(id, { call });
    stats.streamsOpened++;
    log(`stream ${id} opened`);
    call.sendMetadata(new grpc.Metadata());
    const ended = () => streamEnded(id);
    call.on('cancelled', ended);
    call.on('close', ended);
    call.on('error', ended);
    pump();
  },

  CompleteActivityTask(call, callback) {
    const response = call.request;
    const token = response.getCompletiontoken();
    const activity = inflightActivities.get(token);
    if (!activity) {
      if (issuedTokens.has(token)) {
        stats.staleCompletions++; // from a stream that ended; the item was dispatched again (daprd ignores these too)
        return callback(null, new pb.CompleteTaskResponse());
      }
      stats.rejectedCompletions++;
      return fail(callback, grpc.status.FAILED_PRECONDITION, `unknown completion token '${token}' for activity task ${response.getTaskid()}`);
    }
    const { item } = activity;
    if (item.instanceId !== response.getInstanceid() || item.taskId !== response.getTaskid()) {
      stats.rejectedCompletions++;
      return fail(callback, grpc.status.FAILED_PRECONDITION,
        `completion for ${response.getInstanceid()}/${response.getTaskid()} carries the token of ${item.instanceId}/${item.taskId}`);
    }
    inflightActivities.delete(token);
    const instance = backend.getInstance(item.instanceId);
    if (instance && !isTerminal(instance.status)) {
      if (response.hasFailuredetails()) {
        // Keep the worker's failure details as sent (stack trace, inner failure, non-retriable flag).
        const details = response.getFailuredetails();
        instance.pendingEvents.push(pbh.newTaskFailedEvent(item.taskId, new Error(details.getErrormessage()), details));
        instance.lastUpdatedAt = new Date();
        backend.enqueueOrchestration(item.instanceId);
      } else {
        backend.completeActivity(item.instanceId, item.taskId, response.getResult()?.getValue());
      }
    }
    callback(null, new pb.CompleteTaskResponse());
    pump();
  },

  CompleteOrchestratorTask(call, callback) {
    const response = call.request;
    const instanceId = response.getInstanceid();
    const token = response.getCompletiontoken();
    const turn = inflightTurns.get(instanceId);
    if (!turn || turn.token !== token) {
      if (issuedTokens.has(token)) {
        stats.staleCompletions++;
        return callback(null, new pb.CompleteTaskResponse());
      }
      stats.rejectedCompletions++;
      return fail(callback, grpc.status.FAILED_PRECONDITION, `unknown completion token '${token}' for workflow instance '${instanceId}'`);
    }
    inflightTurns.delete(instanceId);
    const instance = backend.getInstance(instanceId);
    if (!instance) return callback(null, new pb.CompleteTaskResponse());

    // Commit only the events the worker saw; hold the rest back for the next turn.
    const heldBack = instance.pendingEvents.slice(turn.count);
    instance.pendingEvents = instance.pendingEvents.slice(0, turn.count);
    const activitiesBefore = backend.activityQueue.length;
    try {
      // Dapr overwrites the custom status every turn; an absent value clears it.
      const customStatus = response.hasCustomstatus() ? response.getCustomstatus().getValue() : '';
      backend.completeOrchestration(instanceId, turn.backendToken, response.getActionsList(), customStatus);
    } catch (error) {
      process.stderr.write(`[sidecar] completing ${instanceId} failed: ${error.stack}\n`);
      return fail(callback, grpc.status.INTERNAL, String(error.message));
    }
    for (const item of backend.activityQueue.slice(activitiesBefore)) {
      item.taskExecutionId = response.taskExecutionIds.get(item.taskId);
    }
    if (!isTerminal(instance.status) && heldBack.length > 0) {
      instance.pendingEvents.push(...heldBack);
    }
    if (!isTerminal(instance.status) && instance.pendingEvents.length > 0) {
      backend.enqueueOrchestration(instanceId);
    }
    callback(null, new pb.CompleteTaskResponse());
    pump();
  },
};

// ------------------------------------------------------------------------------------------------------------------

const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
// The generated definition names methods in lowerCamelCase (hello, startInstance, ...).
const implementation = Object.fromEntries(Object.entries(handlers).map(([name, fn]) => [name[0].toLowerCase() + name.slice(1), fn]));
server.addService(withRawHandling(TaskHubSidecarServiceService), implementation);
server.bindAsync(`127.0.0.1:${process.env.INTEROP_SIDECAR_PORT || 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    process.stderr.write(`[sidecar] cannot listen: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`LISTENING ${port}\n`);
});

// Timers fire inside the backend without telling anyone; look for work regularly.
setInterval(pump, 10).unref();

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  const command = line.trim();
  if (command === 'drop') {
    dropStreams();
    process.stdout.write('DROPPED\n');
  } else if (command === 'stats') {
    process.stdout.write(`STATS ${JSON.stringify({ ...stats, streams: streams.size, inflightTurns: inflightTurns.size, inflightActivities: inflightActivities.size })}\n`);
  }
});
input.on('close', () => process.exit(0));
