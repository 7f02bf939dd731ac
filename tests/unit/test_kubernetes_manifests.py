"""The Kubernetes manifests (``deploy/kubernetes``) render, validate and keep their promises.

Both overlays are rendered by ``kubectl kustomize`` when kubectl is installed, else by
``tests/support/kustomize.py`` (which gives the same objects: checked here whenever kubectl
is there). Every object is validated offline: the Kubernetes kinds against the schemas the
``kubernetes-validate`` package bundles, KEDA's ``ScaledObject`` against its CRD schema
vendored in ``deploy/kubernetes/schemas``, both refusing fields they do not declare.

Each promise is a function that lists what breaks it, run on the real renderings (nothing)
and on broken copies (the breakage), so a check that stops seeing is noticed too.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from cryptography.fernet import Fernet

from services.console.config import console_config
from shared.events.catalogue import CATALOGUE
from shared.settings import CONSOLE, SCHEDULER, SERVICES, _production_problems, load_settings
from tests.support import kustomize

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAYS = ("small", "production")
# the oldest Kubernetes these manifests claim, and the newest the validator knows
KUBERNETES_VERSIONS = ("1.29", kubernetes_validate.utils.latest_version())
KEDA_SCHEMA = KUBERNETES / "schemas" / "keda-scaledobject-v1alpha1.json"
SECRET_NAME = "pendamping"
OPTIONAL_KEYS = {
    "PENDAMPING_INDEX_KEY",
    "PENDAMPING_METRICS_TOKEN",
    *(f"{service.upper()}_KEYS_DATABASE_URL" for service in SERVICES),
}
# The worker queues: one per service that consumes events or relays its own outbox.
QUEUES = sorted(
    {name for spec in CATALOGUE.values() for name in (spec.producer, *spec.subscribers)}
)
SECRET_PATTERNS = {
    "a Fernet key": re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}="),
    # a template's placeholder (PASSWORD, in capitals) is not a password
    "a URL with a password": re.compile(
        r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:(?![A-Z_]+@)[^/\s@'\"]+@"
    ),
    "a 64-hex key": re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])"),
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\."),
    "a long random token": re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])"),
}


# --- rendering ---------------------------------------------------------------------------


def _kubectl() -> str | None:
    return shutil.which("kubectl")


def _kubectl_render(directory: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [_kubectl(), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@cache
def _rendered(overlay: str) -> tuple[dict[str, Any], ...]:
    directory = KUBERNETES / "overlays" / overlay
    objects = _kubectl_render(directory) if _kubectl() else kustomize.render(directory)
    return tuple(objects)


def rendered(overlay: str) -> list[dict[str, Any]]:
    """A fresh copy of ``overlay``'s objects, which a test may break."""
    return copy.deepcopy(list(_rendered(overlay)))


def by_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def workloads(objects: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield from (obj for obj in objects if obj["kind"] in {"Deployment", "Job"})


def containers(workload: dict[str, Any], *, init: bool = True) -> list[dict[str, Any]]:
    spec = pod_spec(workload)
    return [*(spec.get("initContainers", []) if init else []), *spec["containers"]]


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in ``value`` with where it is, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}/{key}", str(key)
            yield from strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}/{index}")
    elif isinstance(value, str):
        yield path, value


def _name(obj: dict[str, Any]) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


# --- what each promise sees --------------------------------------------------------------


def _strict(schema: Any) -> Any:
    """``schema`` refusing undeclared fields wherever it declares properties, as the API
    server's strict field validation does for a CRD."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: _strict(item) for key, item in schema.items()}
    if "properties" in strict and "additionalProperties" not in strict:
        strict["additionalProperties"] = False
    return strict


@cache
def _keda_validator() -> jsonschema.Draft7Validator:
    schema = _strict(json.loads(KEDA_SCHEMA.read_text()))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def schema_problems(objects: list[dict[str, Any]], version: str) -> list[str]:
    problems = []
    for obj in objects:
        if obj["kind"] == "ScaledObject":
            problems += [
                f"{_name(obj)}: {'/'.join(map(str, error.path))}: {error.message}"
                for error in _keda_validator().iter_errors(obj)
            ]
            continue
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{_name(obj)}: {'.'.join(map(str, error.path))}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            problems.append(f"{_name(obj)}: {error.message}")
    return problems


def _queues_of(container: dict[str, Any]) -> list[str]:
    command = container.get("command", [])
    if "worker" not in command or "-Q" not in command:
        return []
    return command[command.index("-Q") + 1].split(",")


def queue_problems(objects: list[dict[str, Any]]) -> list[str]:
    """Every queue of the catalogue has its own worker Deployment, scaled by a ScaledObject
    on that queue's Redis list."""
    deployments = by_kind(objects, "Deployment")
    scaled = {
        obj["spec"]["scaleTargetRef"]["name"]: obj
        for obj in by_kind(objects, "ScaledObject").values()
    }
    problems = []
    for queue in QUEUES:
        pools = [
            name
            for name, deployment in deployments.items()
            for container in containers(deployment, init=False)
            if _queues_of(container) == [queue]
        ]
        if len(pools) != 1:
            problems.append(f"queue {queue}: {len(pools)} worker Deployments ({pools})")
            continue
        scaler = scaled.get(pools[0])
        if scaler is None:
            problems.append(f"queue {queue}: no ScaledObject scales {pools[0]}")
            continue
        lists = [
            trigger["metadata"].get("listName")
            for trigger in scaler["spec"]["triggers"]
            if trigger["type"] == "redis"
        ]
        if lists != [queue]:
            problems.append(f"queue {queue}: {_name(scaler)} watches the lists {lists}")
        if not 1 <= scaler["spec"]["minReplicaCount"] <= scaler["spec"]["maxReplicaCount"]:
            problems.append(f"queue {queue}: {_name(scaler)} has bounds out of order")
    return problems


SECRET_ENV = {
    "PENDAMPING_SECRET_KEY",
    "PENDAMPING_DATA_KEY",
    "PENDAMPING_CONSOLE_KEY",
    "PENDAMPING_INDEX_KEY",
    "PENDAMPING_METRICS_TOKEN",
    "REDIS_URL",
    "REDIS_PASSWORD",
    "CELERY_BROKER_URL",
    "FLOWER_BASIC_AUTH",
}


def _is_secret_setting(name: str) -> bool:
    return name in SECRET_ENV or name.endswith("_DATABASE_URL")


def text_secret_problems(text: str, where: str) -> list[str]:
    return [
        f"{where}: {label}" for label, pattern in SECRET_PATTERNS.items() if pattern.search(text)
    ]


def secret_problems(objects: list[dict[str, Any]]) -> list[str]:
    """No Secret object, no secret setting given as a value, no secret-looking text."""
    problems = []
    for obj in objects:
        # a ConfigMap's data is settings (scanned below); anything else's data is a Secret
        if obj["kind"] == "Secret" or (
            obj["kind"] != "ConfigMap" and {"data", "stringData"} & set(obj)
        ):
            problems.append(f"{_name(obj)}: a Secret with its values")
        for path, text in strings(obj):
            problems += text_secret_problems(text, f"{_name(obj)}{path}")
        if obj["kind"] not in {"Deployment", "Job"}:
            continue
        for container in containers(obj):
            for variable in container.get("env", []):
                if _is_secret_setting(variable["name"]) and "value" in variable:
                    problems.append(
                        f"{_name(obj)}: {variable['name']} has a value, not a secretKeyRef"
                    )
    return problems


def container_problems(objects: list[dict[str, Any]]) -> list[str]:
    """Requests, limits, probes (not for init containers or a Job's run to completion), a
    non-root user, a read-only root filesystem, no privilege escalation, no capabilities."""
    problems = []
    for workload in workloads(objects):
        pod = pod_spec(workload)
        pod_security = pod.get("securityContext", {})
        if (
            workload["kind"] == "Deployment"
            and pod.get("automountServiceAccountToken") is not False
        ):
            problems.append(f"{_name(workload)}: mounts a service account token")
        init = {c["name"] for c in pod.get("initContainers", [])}
        for container in containers(workload):
            where = f"{_name(workload)} {container['name']}"
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in resources.get(kind, {}):
                        problems.append(f"{where}: no {resource} {kind}")
            if workload["kind"] == "Deployment" and container["name"] not in init:
                for probe in ("livenessProbe", "readinessProbe"):
                    if probe not in container:
                        problems.append(f"{where}: no {probe}")
            security = container.get("securityContext", {})
            if security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: a writable root filesystem")
            if security.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: may escalate privileges")
            if security.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{where}: keeps capabilities")
            if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
                problems.append(f"{where}: may run as root")
            if (security.get("runAsUser") or pod_security.get("runAsUser")) in (None, 0):
                problems.append(f"{where}: no numeric non-root user")
    return problems


def _runs_beat(deployment: dict[str, Any]) -> bool:
    return any("beat" in c.get("command", []) for c in containers(deployment, init=False))


def scheduler_problems(objects: list[dict[str, Any]]) -> list[str]:
    """Exactly one Deployment runs beat: one replica, `Recreate`, no autoscaler."""
    beats = [d for d in by_kind(objects, "Deployment").values() if _runs_beat(d)]
    if len(beats) != 1:
        return [f"{len(beats)} Deployments run beat"]
    scheduler = beats[0]
    name = scheduler["metadata"]["name"]
    problems = []
    if scheduler["spec"].get("replicas") != 1:
        problems.append(f"{name}: replicas {scheduler['spec'].get('replicas')}, not 1")
    if scheduler["spec"].get("strategy", {}).get("type") != "Recreate":
        problems.append(f"{name}: a rollout could run two (strategy is not Recreate)")
    for obj in objects:
        if obj["kind"] in {"HorizontalPodAutoscaler", "ScaledObject"}:
            if obj["spec"]["scaleTargetRef"]["name"] == name:
                problems.append(f"{_name(obj)} scales {name}")
    return problems


def autoscaler_problems(objects: list[dict[str, Any]]) -> list[str]:
    """Every API has a CPU autoscaler, every worker pool a queue autoscaler, none both, and
    an autoscaled Deployment leaves its replica count to its autoscaler."""
    deployments = by_kind(objects, "Deployment")
    targets: dict[str, list[str]] = {}
    for obj in objects:
        if obj["kind"] in {"HorizontalPodAutoscaler", "ScaledObject"}:
            targets.setdefault(obj["spec"]["scaleTargetRef"]["name"], []).append(obj["kind"])
    problems = [f"{name}: scaled by {kinds}" for name, kinds in targets.items() if len(kinds) > 1]
    for name, deployment in deployments.items():
        component = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
        wanted = {"api": "HorizontalPodAutoscaler", "worker": "ScaledObject"}.get(component)
        if wanted and targets.get(name) != [wanted]:
            problems.append(f"{name}: {component} scaled by {targets.get(name)}, not {wanted}")
        if name in targets and "replicas" in deployment["spec"]:
            problems.append(f"{name}: sets replicas its autoscaler owns")
    for hpa in by_kind(objects, "HorizontalPodAutoscaler").values():
        metrics = [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
        if metrics != ["cpu"]:
            problems.append(f"{_name(hpa)}: scales on {metrics}, not CPU")
    return problems


# --- the real renderings -----------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_overlays_validate_against_the_kubernetes_and_keda_schemas(overlay, version):
    objects = rendered(overlay)
    assert {"Deployment", "Job", "ScaledObject", "HorizontalPodAutoscaler"} <= {
        obj["kind"] for obj in objects
    }
    assert schema_problems(objects, version) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_queue_of_the_catalogue_has_a_worker_deployment_and_a_scaled_object(overlay):
    assert QUEUES == ["assessment", "intake", "notifications"]
    assert queue_problems(rendered(overlay)) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_manifest_carries_a_secret_value(overlay):
    assert secret_problems(rendered(overlay)) == []


def test_no_file_under_deploy_kubernetes_carries_a_secret_value():
    files = [path for path in KUBERNETES.rglob("*") if path.is_file()]
    assert len(files) > 10
    problems = []
    for path in files:
        problems += text_secret_problems(path.read_text(), str(path.relative_to(ROOT)))
    assert problems == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_requests_limits_probes_and_no_privilege(overlay):
    assert container_problems(rendered(overlay)) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_scheduler_can_never_have_two_replicas(overlay):
    assert scheduler_problems(rendered(overlay)) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_apis_scale_on_cpu_and_worker_pools_on_their_queues_never_both(overlay):
    assert autoscaler_problems(rendered(overlay)) == []


@pytest.mark.skipif(_kubectl() is None, reason="kubectl is not installed")
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_python_rendering_equals_kubectls(overlay):
    directory = KUBERNETES / "overlays" / overlay
    ours = {kustomize.identity(obj): obj for obj in kustomize.render(directory)}
    theirs = {kustomize.identity(obj): obj for obj in _kubectl_render(directory)}
    assert sorted(ours) == sorted(theirs)
    for identity, obj in theirs.items():
        assert ours[identity] == obj, identity


# --- what each process is given ----------------------------------------------------------


def _settings_service(container: dict[str, Any]) -> str | None | bool:
    """The ``service`` a container's settings are loaded for (``None``: all of them), or
    ``False`` for a process that is not Pendamping's (Flower)."""
    command = container["command"]
    text = " ".join(command)
    if "wait-for-migrations" in command:
        return command[command.index("--service") + 1]
    if command[:2] == ["pendamping", "migrate"]:
        return None
    if "ops.scheduler" in text:
        return SCHEDULER
    match = re.search(r"services\.(\w+)\.(app|worker)", text)
    if match:
        return match.group(1)
    return False


def _environment(container: dict[str, Any], config_maps: dict[str, dict]) -> dict[str, str]:
    """The environment the container would get, with plausible secrets: optional keys are
    left out (the worst case), required ones hold values of the right shape."""
    values = {
        "PENDAMPING_SECRET_KEY": "k8s-test-secret-" + "s" * 40,
        "PENDAMPING_CONSOLE_KEY": "k8s-test-console-" + "c" * 40,
        "PENDAMPING_DATA_KEY": Fernet.generate_key().decode(),
        "REDIS_URL": "redis://redis.invalid:6379/0",
    }
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(config_maps[source["configMapRef"]["name"]]["data"])
    for variable in container.get("env", []):
        reference = (variable.get("valueFrom") or {}).get("secretKeyRef")
        if reference is None:
            env[variable["name"]] = variable["value"]
        elif not reference.get("optional"):
            key = reference["key"]
            env[variable["name"]] = values.get(key, f"placeholder-for-{key}")
    return env


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_process_gets_exactly_the_settings_production_asks_of_it(overlay):
    objects = rendered(overlay)
    config_maps = by_kind(objects, "ConfigMap")
    seen = set()
    for workload in workloads(objects):
        for container in containers(workload):
            service = _settings_service(container)
            env = _environment(container, config_maps)
            where = f"{_name(workload)} {container['name']}"
            secrets = {name for name in env if _is_secret_setting(name)}
            if service is False:  # Flower: the broker and its login, nothing of ours
                assert secrets == {"CELERY_BROKER_URL", "FLOWER_BASIC_AUTH"}, where
                continue
            seen.add(service)
            assert env["PENDAMPING_ENV"] == "production", where
            assert _production_problems(env, service) == [], where
            settings = load_settings(env, service=service)  # what the process itself does
            if service == CONSOLE:
                config = console_config(settings, env)
                assert config.api_urls == {
                    "intake": "http://intake-api:5001",
                    "assessment": "http://assessment-api:5002",
                    "notifications": "http://notifications-api:5003",
                }, where
                assert config.secure_cookies, where
            databases = {name for name in secrets if name.endswith("_DATABASE_URL")}
            if service is None:
                assert databases == {f"{s.upper()}_DATABASE_URL" for s in (*SERVICES, CONSOLE)}
            elif service == SCHEDULER:
                assert secrets == {"REDIS_URL"}, where
            else:
                assert databases == {f"{service.upper()}_DATABASE_URL"}, where
            if service == CONSOLE:
                assert not {"PENDAMPING_SECRET_KEY", "REDIS_URL"} & secrets, where
    assert seen == {None, SCHEDULER, CONSOLE, *SERVICES}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_referenced_by_name_and_only_the_optional_keys_may_be_missing(overlay):
    references = [
        variable["valueFrom"]["secretKeyRef"]
        for workload in workloads(rendered(overlay))
        for container in containers(workload)
        for variable in container.get("env", [])
        if "secretKeyRef" in variable.get("valueFrom", {})
    ]
    assert {ref["name"] for ref in references} == {SECRET_NAME}
    optional = {ref["key"] for ref in references if ref.get("optional")}
    required = {ref["key"] for ref in references if not ref.get("optional")}
    assert optional == OPTIONAL_KEYS
    assert not optional & required
    # the operator's template names every key the manifests read, and no other
    template = (KUBERNETES / "pendamping.env.example").read_text()
    keys = set(re.findall(r"^([A-Z_]+)=", template, flags=re.MULTILINE))
    assert keys == optional | required


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_waits_for_the_migrations_job(overlay):
    objects = rendered(overlay)
    jobs = [
        j
        for j in by_kind(objects, "Job").values()
        if containers(j)[0]["command"] == ["pendamping", "migrate"]
    ]
    assert len(jobs) == 1
    for name, deployment in by_kind(objects, "Deployment").items():
        service = _settings_service(containers(deployment, init=False)[0])
        if service in (False, SCHEDULER):  # Flower and beat touch no database
            continue
        waits = [
            c["command"]
            for c in pod_spec(deployment).get("initContainers", [])
            if "wait-for-migrations" in c["command"]
        ]
        assert waits == [
            ["pendamping", "wait-for-migrations", "--service", service, "--timeout", "600"]
        ], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_configuration_changes_roll_the_pods(overlay):
    """Settings come from generated ConfigMaps whose names carry a hash of their data."""
    objects = rendered(overlay)
    config_maps = by_kind(objects, "ConfigMap")
    assert config_maps
    for name, config_map in config_maps.items():
        base, _, suffix = name.rpartition("-")
        assert suffix == kustomize.name_hash(config_map), name
    referenced = {
        source["configMapRef"]["name"]
        for workload in workloads(objects)
        for container in containers(workload)
        for source in container.get("envFrom", [])
    }
    assert referenced == set(config_maps)


# --- the network -------------------------------------------------------------------------


def _policy_for(objects: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        policy
        for policy in by_kind(objects, "NetworkPolicy").values()
        if policy["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
    ]


def _egress_ports(policy: dict[str, Any]) -> set[int]:
    return {port["port"] for rule in policy["spec"].get("egress", []) for port in rule["ports"]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_component_has_a_network_policy_of_its_own(overlay):
    objects = rendered(overlay)
    for workload in workloads(objects):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        policies = _policy_for(objects, labels)
        assert len(policies) == 1, _name(workload)
        (policy,) = policies
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"], _name(policy)
        component = labels["app.kubernetes.io/component"]
        egress = _egress_ports(policy)
        if component == "worker":
            providers = (
                {443, 587, 465} if "notifications" in labels["app.kubernetes.io/name"] else set()
            )
            assert egress == {53, 5432, 6379} | providers, _name(policy)
            assert not policy["spec"].get("ingress"), "no one calls a worker"
        elif component == "console":
            assert egress == {53, 5001, 5002, 5003, 5432}, "the APIs and its own database"
            (to_apis,) = [rule for rule in policy["spec"]["egress"] if "to" in rule]
            assert (
                to_apis["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
                == "api"
            )
        elif component in {"scheduler", "flower"}:
            assert egress == {53, 6379}, _name(policy)
        elif component == "migrations":
            assert egress == {53, 5432}, _name(policy)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_apis_and_console_carry_prometheus_scrape_annotations(overlay):
    objects = rendered(overlay)
    assert "ServiceMonitor" not in {obj["kind"] for obj in objects}
    for deployment in by_kind(objects, "Deployment").values():
        if deployment["metadata"]["labels"]["app.kubernetes.io/component"] not in {
            "api",
            "console",
        }:
            continue
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        (container,) = containers(deployment, init=False)
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/path"] == "/metrics"
        assert int(annotations["prometheus.io/port"]) == container["ports"][0]["containerPort"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_an_api_stays_in_service_while_the_broker_restarts(overlay):
    """An API's readiness asks for its database only (``/ready?broker=optional``): writes go
    on without Redis, and a probe that needed it would empty every Service at once. Its
    liveness asks for nothing but the process."""
    deployments = by_kind(rendered(overlay), "Deployment")
    for name in ("intake-api", "assessment-api", "notifications-api"):
        (container,) = containers(deployments[name], init=False)
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready?broker=optional", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/health", name


# --- the two overlays --------------------------------------------------------------------


def test_the_small_overlay_runs_one_replica_of_everything_at_rest():
    objects = rendered("small")
    for deployment in by_kind(objects, "Deployment").values():
        assert deployment["spec"].get("replicas", 1) == 1, _name(deployment)
    assert {
        hpa["spec"]["minReplicas"] for hpa in by_kind(objects, "HorizontalPodAutoscaler").values()
    } == {1}
    assert {so["spec"]["minReplicaCount"] for so in by_kind(objects, "ScaledObject").values()} == {
        1
    }
    assert not by_kind(objects, "PodDisruptionBudget")


def test_the_production_overlay_keeps_two_of_everything_that_serves_behind_budgets():
    objects = rendered("production")
    budgets = {
        pdb["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]: pdb
        for pdb in by_kind(objects, "PodDisruptionBudget").values()
    }
    for name, deployment in by_kind(objects, "Deployment").items():
        component = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
        if component in {"scheduler", "flower"}:
            assert name not in budgets
            continue
        assert budgets[name]["spec"]["maxUnavailable"] == 1, name
    assert {
        hpa["spec"]["minReplicas"] for hpa in by_kind(objects, "HorizontalPodAutoscaler").values()
    } == {2}
    assert {so["spec"]["minReplicaCount"] for so in by_kind(objects, "ScaledObject").values()} == {
        2
    }
    assert by_kind(objects, "Deployment")["console"]["spec"]["replicas"] == 2


# --- the checks see what they are for ----------------------------------------------------


def _without(objects: list[dict[str, Any]], kind: str, name: str) -> list[dict[str, Any]]:
    kept = [obj for obj in objects if (obj["kind"], obj["metadata"]["name"]) != (kind, name)]
    assert len(kept) == len(objects) - 1
    return kept


@pytest.mark.parametrize("kind", ["Deployment", "ScaledObject"])
def test_a_queue_that_loses_its_worker_deployment_or_scaled_object_is_noticed(kind):
    objects = _without(rendered("production"), kind, "notifications-worker")
    assert any("queue notifications" in problem for problem in queue_problems(objects))


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("env", Fernet.generate_key().decode()),
        ("env", "postgresql+psycopg://intake:s3cret-pass@db.internal:5432/intake"),
        ("config", "redis://:hunter2hunter2@redis.internal:6379/0"),
        ("config", "ab" * 32),
        ("annotation", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcGVyYXRvciJ9.signature"),
    ],
)
def test_a_secret_value_in_a_rendered_object_is_noticed(where, value):
    objects = rendered("small")
    deployment = by_kind(objects, "Deployment")["intake-api"]
    if where == "env":
        containers(deployment, init=False)[0]["env"].append({"name": "EXTRA", "value": value})
    elif where == "config":
        next(iter(by_kind(objects, "ConfigMap").values()))["data"]["EXTRA"] = value
    else:
        deployment["metadata"].setdefault("annotations", {})["note"] = value
    assert secret_problems(objects)


def test_a_secret_object_or_a_secret_setting_given_as_a_value_is_noticed():
    objects = rendered("small")
    objects.append(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "pendamping"},
            "stringData": {"A": "b"},
        }
    )
    assert any("a Secret with its values" in p for p in secret_problems(objects))
    objects = rendered("small")
    env = containers(by_kind(objects, "Deployment")["scheduler"], init=False)[0]["env"]
    env[:] = [{"name": "REDIS_URL", "value": "redis://redis:6379/0"}]
    assert any("REDIS_URL has a value" in p for p in secret_problems(objects))


def test_a_broken_copy_of_the_files_fails_the_checks(tmp_path):
    """At the level of files, rendered by the Python rendering: a worker dropped from the
    base, a database URL with its password written into a setting."""
    copied = tmp_path / "kubernetes"
    shutil.copytree(KUBERNETES, copied)
    base = copied / "base" / "kustomization.yaml"
    text = base.read_text()
    assert "  - notifications-worker.yaml\n" in text
    text = text.replace("  - notifications-worker.yaml\n", "")
    text = text.replace(
        "      - PENDAMPING_LOG_FORMAT=json\n",
        "      - PENDAMPING_LOG_FORMAT=json\n"
        "      - INTAKE_DATABASE_URL=postgresql+psycopg://intake:pw-in-git@db:5432/intake\n",
    )
    base.write_text(text)
    objects = kustomize.render(copied / "overlays" / "small")
    assert any("queue notifications" in p for p in queue_problems(objects))
    assert any("a URL with a password" in p for p in secret_problems(objects))
    assert any("a URL with a password" in p for p in text_secret_problems(text, "base"))


def test_a_second_scheduler_or_an_autoscaled_one_is_noticed():
    objects = rendered("production")
    by_kind(objects, "Deployment")["scheduler"]["spec"]["replicas"] = 2
    assert scheduler_problems(objects)
    objects = rendered("production")
    by_kind(objects, "Deployment")["scheduler"]["spec"]["strategy"] = {"type": "RollingUpdate"}
    assert scheduler_problems(objects)
    objects = rendered("production")
    hpa = copy.deepcopy(by_kind(objects, "HorizontalPodAutoscaler")["intake-api"])
    hpa["metadata"]["name"] = "scheduler"
    hpa["spec"]["scaleTargetRef"]["name"] = "scheduler"
    objects.append(hpa)
    assert scheduler_problems(objects)


def test_a_container_without_limits_or_probes_is_noticed():
    objects = rendered("production")
    worker = containers(by_kind(objects, "Deployment")["assessment-worker"], init=False)[0]
    del worker["resources"]["limits"]
    del worker["livenessProbe"]
    problems = container_problems(objects)
    assert any("no cpu limits" in p for p in problems)
    assert any("no livenessProbe" in p for p in problems)


def test_a_deployment_under_two_autoscalers_is_noticed():
    objects = rendered("production")
    hpa = copy.deepcopy(by_kind(objects, "HorizontalPodAutoscaler")["intake-api"])
    hpa["metadata"]["name"] = "notifications-worker"
    hpa["spec"]["scaleTargetRef"]["name"] = "notifications-worker"
    objects.append(hpa)
    assert any("notifications-worker: scaled by" in p for p in autoscaler_problems(objects))


def test_the_schemas_refuse_unknown_fields_and_wrong_types():
    objects = rendered("small")
    containers(by_kind(objects, "Deployment")["intake-api"], init=False)[0]["readinessprobe"] = {}
    by_kind(objects, "ScaledObject")["intake-worker"]["spec"]["maxReplicas"] = 3
    by_kind(objects, "HorizontalPodAutoscaler")["intake-api"]["spec"]["minReplicas"] = "one"
    problems = schema_problems(objects, KUBERNETES_VERSIONS[0])
    assert any("Deployment/intake-api" in p and "readinessprobe" in p for p in problems)
    assert any("ScaledObject/intake-worker" in p and "maxReplicas" in p for p in problems)
    assert any("HorizontalPodAutoscaler/intake-api" in p for p in problems)
