"""A small Kustomize, for machines without kubectl: renders ``deploy/kubernetes`` the way
``kubectl kustomize`` does.

It implements exactly the features those kustomizations use and refuses every other field,
so a kustomization that starts using something new fails here, loudly, instead of being
rendered differently; where kubectl is installed, a test checks that both renderings give
the same objects. Supported:

- ``resources``: YAML files (several documents each) and directories holding a
  kustomization, in order;
- ``configMapGenerator`` with ``name`` and ``literals``: a ConfigMap named with kubectl's
  content hash (:func:`name_hash`), and every reference to it from a pod template renamed;
- ``patches``: JSON 6902 operations ``add``, ``replace`` and ``remove``, inline (``patch``)
  or from a file (``path``), on the objects a ``target`` selects (``group``, ``version``,
  ``kind`` and ``name`` as anchored regular expressions, ``labelSelector`` as ``k=v``
  pairs); a target that selects nothing is an error;
- ``images`` with ``name``, ``newName``, ``newTag`` and ``digest``, on the containers and
  init containers of pod templates.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
FIELDS = {"apiVersion", "kind", "resources", "configMapGenerator", "patches", "images"}
GENERATOR_FIELDS = {"name", "literals"}
PATCH_FIELDS = {"patch", "path", "target"}
TARGET_FIELDS = {"group", "version", "kind", "name", "labelSelector"}
IMAGE_FIELDS = {"name", "newName", "newTag", "digest"}
# kubectl's hash names a generated object with ten hex digits, these letters swapped in
# (kustomize's hasher: fewer vowels and digits that read as words or numbers)
_HASH_LETTERS = str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"})


class Unsupported(ValueError):
    """The kustomization uses a feature this rendering does not implement."""


def render(directory: Path | str) -> list[dict[str, Any]]:
    """Every object the kustomization in ``directory`` builds."""
    return _build(Path(directory).resolve())


def name_hash(config_map: dict[str, Any]) -> str:
    """The suffix kubectl gives a generated ConfigMap: its kind, its data and an empty name
    (kubectl hashes the object before it is named), as Go's ``json.Marshal`` writes them."""
    encoded = json.dumps(
        {"data": config_map.get("data", {}), "kind": "ConfigMap", "name": ""},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    for character, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        encoded = encoded.replace(character, escape)
    return hashlib.sha256(encoded.encode()).hexdigest()[:10].translate(_HASH_LETTERS)


def _build(directory: Path) -> list[dict[str, Any]]:
    kustomization = _kustomization(directory)
    objects: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        objects.extend(_build(path) if path.is_dir() else _documents(path))
    renamed: dict[str, str] = {}
    for generator in kustomization.get("configMapGenerator", []):
        config_map = _config_map(generator)
        renamed[generator["name"]] = config_map["metadata"]["name"]
        objects.append(config_map)
    for obj in objects:
        _rename_config_maps(obj, renamed)
    _refuse_duplicates(objects)
    for patch in kustomization.get("patches", []):
        _apply_patch(objects, patch, directory)
    for image in kustomization.get("images", []):
        _set_image(objects, image)
    return objects


def _kustomization(directory: Path) -> dict[str, Any]:
    for name in KUSTOMIZATION_FILES:
        path = directory / name
        if path.exists():
            kustomization = yaml.safe_load(path.read_text()) or {}
            _only(kustomization, FIELDS, path)
            return kustomization
    raise FileNotFoundError(f"no kustomization in {directory}")


def _only(mapping: dict[str, Any], allowed: set[str], where: object) -> None:
    unknown = set(mapping) - allowed
    if unknown:
        raise Unsupported(f"{where}: {sorted(unknown)} (this rendering knows {sorted(allowed)})")


def _documents(path: Path) -> list[dict[str, Any]]:
    # plain copies: YAML aliases load as one shared object, which a patch must not change
    # in two places
    return [_plain(doc) for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _config_map(generator: dict[str, Any]) -> dict[str, Any]:
    _only(generator, GENERATOR_FIELDS, f"configMapGenerator {generator.get('name')!r}")
    data = {}
    for literal in generator.get("literals", []):
        key, separator, value = literal.partition("=")
        if not separator:
            raise ValueError(f"literal {literal!r} is not KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        data[key] = value
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}, "data": data}
    config_map["metadata"]["name"] = f"{generator['name']}-{name_hash(config_map)}"
    return config_map


def _pod_specs(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Pod":
        return [spec]
    if obj.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    template = (spec.get("template") or {}).get("spec")
    return [template] if isinstance(template, dict) else []


def _containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def _rename_config_maps(obj: dict[str, Any], renamed: dict[str, str]) -> None:
    def rename(reference: dict[str, Any] | None) -> None:
        if reference and reference.get("name") in renamed:
            reference["name"] = renamed[reference["name"]]

    for pod in _pod_specs(obj):
        for container in _containers(pod):
            for source in container.get("envFrom", []):
                rename(source.get("configMapRef"))
            for variable in container.get("env", []):
                rename((variable.get("valueFrom") or {}).get("configMapKeyRef"))
        for volume in pod.get("volumes", []):
            rename(volume.get("configMap"))
            for source in (volume.get("projected") or {}).get("sources", []):
                rename(source.get("configMap"))


def identity(obj: dict[str, Any]) -> tuple[str, str, str]:
    """An object's group, kind and name: what Kustomize keeps unique."""
    group = obj["apiVersion"].rpartition("/")[0]
    return group, obj["kind"], obj["metadata"]["name"]


def _refuse_duplicates(objects: list[dict[str, Any]]) -> None:
    seen: set[tuple[str, str, str]] = set()
    for obj in objects:
        if identity(obj) in seen:
            raise ValueError(f"{identity(obj)} is declared twice")
        seen.add(identity(obj))


def _apply_patch(objects: list[dict[str, Any]], patch: dict[str, Any], directory: Path) -> None:
    _only(patch, PATCH_FIELDS, "a patch")
    text = (directory / patch["path"]).read_text() if "path" in patch else patch["patch"]
    operations = yaml.safe_load(text)
    if not isinstance(operations, list):
        raise Unsupported("strategic-merge patches (only JSON 6902 lists of operations)")
    target = patch.get("target")
    if not target:
        raise Unsupported("a JSON 6902 patch without a target")
    _only(target, TARGET_FIELDS, "a patch target")
    selected = [obj for obj in objects if _selected(obj, target)]
    if not selected:
        raise ValueError(f"the patch target {target} selects nothing")
    for obj in selected:
        for operation in operations:
            apply_operation(obj, operation)


def _selected(obj: dict[str, Any], target: dict[str, Any]) -> bool:
    group, _, version = obj["apiVersion"].rpartition("/")
    fields = {"group": group, "version": version, "kind": obj["kind"]}
    fields["name"] = obj["metadata"]["name"]
    for key, value in fields.items():
        if key in target and not re.fullmatch(target[key], value):
            return False
    labels = obj["metadata"].get("labels") or {}
    return all(labels.get(key) == value for key, value in _label_pairs(target))


def _label_pairs(target: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for requirement in filter(None, target.get("labelSelector", "").split(",")):
        key, separator, value = requirement.partition("=")
        value = value.removeprefix("=")
        if not separator or key.endswith("!") or not key.strip() or " " in key.strip():
            raise Unsupported(f"the label selector {requirement!r} (only key=value pairs)")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise ValueError(f"the JSON pointer {path!r} does not start with /")
    return [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]


def apply_operation(document: Any, operation: dict[str, Any]) -> None:
    """One RFC 6902 operation (``add``, ``replace`` or ``remove``), in place."""
    op = operation["op"]
    if op not in {"add", "replace", "remove"}:
        raise Unsupported(f"the JSON 6902 operation {op!r}")
    *parents, last = _pointer(operation["path"])
    parent = document
    for part in parents:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    if isinstance(parent, list):
        if op == "add":
            index = len(parent) if last == "-" else int(last)
            if not 0 <= index <= len(parent):
                raise IndexError(f"{operation['path']}: no index {index}")
            parent.insert(index, _plain(operation["value"]))
            return
        index = int(last)
        if not 0 <= index < len(parent):
            raise IndexError(f"{operation['path']}: no index {index}")
    elif op != "add" and last not in parent:
        raise KeyError(f"{operation['path']}: nothing to {op}")
    else:
        index = last
    if op == "remove":
        del parent[index]
    else:
        parent[index] = _plain(operation["value"])


def _split_image(image: str) -> tuple[str, str, str]:
    """``name``, ``:tag`` and ``@digest`` parts (each may be empty) of an image reference."""
    name, at, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon:], at + digest
    return name, "", at + digest


def _set_image(objects: list[dict[str, Any]], image: dict[str, Any]) -> None:
    _only(image, IMAGE_FIELDS, f"image {image.get('name')!r}")
    for obj in objects:
        for pod in _pod_specs(obj):
            for container in _containers(pod):
                name, tag, digest = _split_image(container.get("image", ""))
                if name != image["name"]:
                    continue
                name = image.get("newName", name)
                if "digest" in image:
                    tag, digest = "", "@" + image["digest"]
                elif "newTag" in image:
                    tag, digest = ":" + str(image["newTag"]), ""
                container["image"] = name + tag + digest
