"""The Python rendering of kustomizations (tests/support/kustomize.py), on small cases of
its own; that it renders ``deploy/kubernetes`` as kubectl does is checked in
test_kubernetes_manifests.py wherever kubectl is installed."""

from __future__ import annotations

import pytest
import yaml

from tests.support import kustomize

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {tier: front}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - {name: wait, image: "app:1.0", env: &shared [{name: A, value: "1"}]}
      containers:
        - name: web
          image: app
          env: *shared
          envFrom: [{configMapRef: {name: settings}}]
"""


def _write(directory, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).write_text(text)


@pytest.fixture
def base(tmp_path):
    directory = tmp_path / "base"
    directory.mkdir()
    _write(
        directory,
        {
            "web.yaml": DEPLOYMENT,
            "kustomization.yaml": yaml.safe_dump(
                {
                    "resources": ["web.yaml"],
                    "configMapGenerator": [{"name": "settings", "literals": ["MODE='quiet'"]}],
                }
            ),
        },
    )
    return directory


def _overlay(tmp_path, **kustomization) -> list[dict]:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump({"resources": ["../base"], **kustomization})
    )
    return kustomize.render(overlay)


def test_a_generated_config_map_is_named_by_its_content_and_referenced_by_that_name(base):
    objects = kustomize.render(base)
    (config_map,) = [obj for obj in objects if obj["kind"] == "ConfigMap"]
    assert config_map["data"] == {"MODE": "quiet"}
    assert config_map["metadata"]["name"] == f"settings-{kustomize.name_hash(config_map)}"
    (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["envFrom"][0]["configMapRef"]["name"] == config_map["metadata"]["name"]
    changed = dict(config_map, data={"MODE": "loud"})
    assert kustomize.name_hash(changed) != kustomize.name_hash(config_map)


def test_json_patches_change_only_the_selected_objects_and_never_an_aliased_twin(base, tmp_path):
    objects = _overlay(
        tmp_path,
        patches=[
            {
                "target": {"kind": "Deployment", "labelSelector": "tier=front"},
                "patch": "- {op: add, path: /spec/template/spec/containers/0/env/-, "
                "value: {name: B, value: '2'}}\n"
                "- {op: replace, path: /metadata/labels/tier, value: back}\n"
                "- {op: remove, path: /spec/selector/matchLabels/app}",
            }
        ],
    )
    (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
    spec = deployment["spec"]["template"]["spec"]
    assert [v["name"] for v in spec["containers"][0]["env"]] == ["A", "B"]
    assert [v["name"] for v in spec["initContainers"][0]["env"]] == ["A"]
    assert deployment["metadata"]["labels"] == {"tier": "back"}
    assert deployment["spec"]["selector"]["matchLabels"] == {}


def test_images_take_a_new_name_and_tag_or_a_digest(base, tmp_path):
    objects = _overlay(
        tmp_path, images=[{"name": "app", "newName": "registry.example.org/app", "newTag": 2}]
    )
    (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
    spec = deployment["spec"]["template"]["spec"]
    images = [c["image"] for c in (*spec["initContainers"], *spec["containers"])]
    assert images == ["registry.example.org/app:2", "registry.example.org/app:2"]
    assert kustomize._split_image("host:5000/app:1.0@sha256:ab") == (
        "host:5000/app",
        ":1.0",
        "@sha256:ab",
    )


@pytest.mark.parametrize(
    "kustomization",
    [
        {"namePrefix": "x-"},
        {"patches": [{"patch": "metadata: {name: web}", "target": {"kind": "Deployment"}}]},
        {"patches": [{"patch": "- {op: move, from: /a, path: /b}", "target": {"name": "web"}}]},
        {"patches": [{"patch": "[]", "target": {"labelSelector": "tier!=front"}}]},
        {"configMapGenerator": [{"name": "more", "envs": ["x.env"]}]},
    ],
)
def test_a_feature_it_does_not_implement_is_refused(base, tmp_path, kustomization):
    with pytest.raises(kustomize.Unsupported):
        _overlay(tmp_path, **kustomization)


def test_a_patch_that_selects_nothing_is_an_error(base, tmp_path):
    with pytest.raises(ValueError, match="selects nothing"):
        _overlay(
            tmp_path, patches=[{"patch": "[]", "target": {"kind": "Deployment", "name": "api"}}]
        )
