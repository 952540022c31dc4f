"""``gsomia-kg validate`` and the report formats: exit codes, locations, and reports a CI can consume."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef

from gsomia_kg.cli import cli
from gsomia_kg.graph import compile_corpus
from gsomia_kg.serialize import to_ntriples, to_turtle
from gsomia_kg.validate import validate
from support import ROOT, SHIPPED, TINY, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "validate"
B = Namespace("https://example.org/validate/")
GK = Namespace("https://w3id.org/gsomia-kg/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def invoke(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, dict]:
    """The fixture graph with two violations and a warning, exported as Turtle, with the origins of the build."""
    built = compile_corpus(FIXTURE)
    g = Graph()
    g += built.graph
    g.remove((B["statement/unions-welcome-accord"], GK.speaker, None))  # a statement without speaker
    g.add((B["agreement/fisheries-accord"], GK.party, B["person/mara-quill"]))  # a third party
    claim = B["claim/coast-editorial/fisheries-accord/numberOfArticles/12"]
    g.set((claim, RDF.object, Literal("13", datatype=XSD.integer)))  # sources disagree: a warning
    g.add((B["agreement/fisheries-accord"], GK.numberOfArticles, Literal("13", datatype=XSD.integer)))
    path = tmp_path_factory.mktemp("broken") / "broken.ttl"
    path.write_bytes(to_turtle(g))
    return path, built.origins


# ---- the shipped corpus and the fixtures ----------------------------------------------------------------------

def test_shipped_corpus_conforms():
    run = invoke("--corpus", str(SHIPPED))
    assert run.exit_code == 0, run.output


def test_tiny_and_validation_fixtures_conform():
    for corpus in (TINY, FIXTURE):
        run = invoke("--corpus", str(corpus))
        assert run.exit_code == 0, run.output
        assert run.stdout.strip().endswith("0 violations, 0 warnings, 0 infos (conforms)")


def test_exported_graph_validates_like_the_corpus(tmp_path):
    data = tmp_path / "fixture.nt"
    data.write_bytes(to_ntriples(compile_corpus(FIXTURE).graph))
    run = invoke("--data", str(data), "--format", "json")
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["conforms"] is True


# ---- exit codes ---------------------------------------------------------------------------------------------

def test_violations_exit_1_and_warnings_only_with_fail_on(broken, tmp_path):
    path, _ = broken
    assert invoke("--data", str(path)).exit_code == 1
    g = Graph().parse(path)
    g.add((B["statement/unions-welcome-accord"], GK.speaker, B["group/freedonian-fishing-unions"]))
    g.remove((B["agreement/fisheries-accord"], GK.party, B["person/mara-quill"]))
    only_warnings = tmp_path / "warnings.ttl"
    only_warnings.write_bytes(to_turtle(g))
    run = invoke("--data", str(only_warnings))
    assert run.exit_code == 0, run.output
    assert "0 violations, 2 warnings" in run.stdout
    assert invoke("--data", str(only_warnings), "--fail-on", "warning").exit_code == 1


def test_broken_turtle_exits_2_with_file_line_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n')
    proc = run_cli("validate", "--data", str(bad))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert f"{bad}:3:11: turtle syntax error" in err
    assert "Traceback" not in err and proc.stdout == b""


def test_data_format_option_and_unknown_extension(tmp_path):
    data = tmp_path / "graph.data"
    data.write_bytes(to_ntriples(compile_corpus(TINY).graph))
    run = invoke("--data", str(data))
    assert run.exit_code == 2 and "cannot tell the RDF format" in run.stderr
    assert invoke("--data", str(data), "--data-format", "nt").exit_code == 0


@pytest.mark.parametrize("args, expected", [
    (["--no-such-option"], "No such option"),
    (["--format", "yaml"], "Invalid value for '--format'"),
    (["--corpus", str(TINY), "--data", "x.ttl"], "either --corpus or --data"),
    (["--data", "does-not-exist.ttl"], "cannot read"),
    (["--corpus", "no-such-folder"], "corpus folder not found"),
])
def test_usage_and_input_errors_exit_2(args, expected):
    run = invoke(*args)
    assert run.exit_code == 2, run.output
    assert expected in run.output
    assert "Traceback" not in run.output


def test_broken_shapes_file_exits_2_with_location(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ;\n  sh:targetClass .\n")
    run = invoke("--corpus", str(TINY), "--shapes", str(shapes))
    assert run.exit_code == 2
    assert f"{shapes}:3:" in run.stderr


def test_custom_shapes_replace_the_shipped_ones(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix gk: <https://w3id.org/gsomia-kg/ns#> .\n"
        "<urn:no-notes> a sh:NodeShape ; sh:targetClass gk:Source ;\n"
        "  sh:property [ sh:path gk:genreReasoning ; sh:maxCount 0 ; sh:severity sh:Info ;\n"
        "                sh:message \"no reasoning\" ] .\n")
    run = invoke("--corpus", str(TINY), "--shapes", str(shapes), "--format", "json")
    assert run.exit_code == 0  # an sh:Info result never fails
    doc = json.loads(run.stdout)
    assert doc["counts"] == {"violation": 0, "warning": 0, "info": 1}
    assert doc["results"][0]["shape"] == "urn:no-notes"


# ---- report formats -----------------------------------------------------------------------------------------

def test_text_report_groups_by_shape_with_mapping_lines():
    built = compile_corpus(FIXTURE)
    g = Graph()
    g += built.graph
    g.remove((B["statement/unions-welcome-accord"], GK.speaker, None))
    g.remove((B["statement/brandt-protects-coasts"], GK.speaker, None))
    from gsomia_kg.reports import render_text

    text = render_text(validate(g, origins=built.origins), base=str(B))
    lines = text.splitlines()
    header = [i for i, line in enumerate(lines) if line.startswith("gks:StatementShape")]
    assert len(header) == 1 and "(2 violations)" in lines[header[0]]
    assert any(line.startswith("gks:SpeakerRoleShape") for line in lines)
    mapping = (FIXTURE / "mappings" / "report.yaml").read_text().splitlines()
    located = [line for line in lines if "mappings/report.yaml:" in line and "<statement/" in line]
    assert located
    for line in located:
        number = int(line.split("mappings/report.yaml:")[1].split(":")[0])
        assert mapping[number - 1].lstrip().startswith("- id: ")  # the statement's own line
    assert lines[-1] == "3 violations, 0 warnings, 0 infos"


def test_turtle_report_is_a_standard_shacl_report(broken):
    path, _ = broken
    run = invoke("--data", str(path), "--format", "turtle")
    assert run.exit_code == 1
    store = ox.Store()
    store.load(run.stdout.encode(), ox.RdfFormat.TURTLE)  # strict parse
    g = Graph().parse(data=run.stdout, format="turtle")
    [report] = list(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == 4  # two violations (speaker, third party) and two warnings (12 vs 13, both ways)
    for r in results:
        assert (r, RDF.type, SH.ValidationResult) in g
        for p in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent, SH.resultMessage):
            assert g.value(r, p) is not None, p
    severities = sorted(str(g.value(r, SH.resultSeverity)).split("#")[1] for r in results)
    assert severities == ["Violation", "Violation", "Warning", "Warning"]
    assert run.stdout == invoke("--data", str(path), "--format", "turtle").stdout  # same report, same bytes


def test_json_report_is_stable_and_sorted(broken, tmp_path):
    path, _ = broken
    first = invoke("--data", str(path), "--format", "json").stdout
    copy = tmp_path / "copy.nt"
    copy.write_bytes(to_ntriples(Graph().parse(path)))  # same graph, another syntax and triple order
    second = invoke("--data", str(copy), "--format", "json").stdout
    assert first == second
    doc = json.loads(first)
    assert first == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert doc["counts"] == {"violation": 2, "warning": 2, "info": 0}
    shapes = [r["shape"].rsplit("#", 1)[1] for r in doc["results"]]
    assert shapes == ["BilateralPartiesShape", "StatementShape", "FunctionalDisagreementShape",
                      "FunctionalDisagreementShape"]
    speaker = doc["results"][1]
    assert speaker["path"] == str(GK.speaker) and speaker["severity"] == "violation"
    assert speaker["focusNode"] == str(B["statement/unions-welcome-accord"])


def test_github_annotations_point_at_mapping_file_and_line():
    built = compile_corpus(FIXTURE)
    g = Graph()
    g += built.graph
    g.remove((B["statement/unions-welcome-accord"], GK.speaker, None))
    from gsomia_kg.reports import render_github

    out = render_github(validate(g, origins=built.origins), base=str(B)).splitlines()
    loc = built.origins[str(B["statement/unions-welcome-accord"])]
    assert out[0].startswith(f"::error file={loc.path},line={loc.line},title=gks%3AStatementShape::")
    assert "exactly one speaker" in out[0]
    assert out[-1] == "1 violation, 0 warnings, 0 infos"


def test_github_format_from_the_cli_for_the_corpus(corpus_copy, tmp_path):
    corpus = corpus_copy(FIXTURE)
    mapping = corpus / "mappings" / "report.yaml"
    text = mapping.read_text().replace('date: {as-written: "on 1 March 2030", value: "2030-03-01"',
                                       'date: {as-written: "on 1 March 2030", value: "2030-03-09"')
    mapping.write_text(text)  # the announcement now comes after the signing
    run = invoke("--corpus", str(corpus), "--format", "github")
    assert run.exit_code == 1
    [annotation] = [line for line in run.stdout.splitlines() if line.startswith("::")]
    loc = compile_corpus(corpus).origins[str(B["date/accord-report/accord-announcement"])]
    assert "2030-03-09" in text.splitlines()[loc.line - 1]
    assert annotation.startswith(f"::error file={loc.path},line={loc.line},title=gks%3AChronologyShape::")
    assert "comes after Signing of the fisheries accord" in annotation


def test_junit_report_parses_with_a_failure_per_violating_shape(broken, tmp_path):
    path, _ = broken
    out = tmp_path / "junit.xml"
    run = invoke("--data", str(path), "--format", "junit", "-o", str(out))
    assert run.exit_code == 1 and run.stdout == ""
    assert "2 violations, 2 warnings" in run.stderr
    root = ET.parse(out).getroot()
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "2"
    failing = sorted(case.get("name").split(" ")[0] for case in suite.iter("testcase")
                     if case.find("failure") is not None)
    assert failing == ["gks:BilateralPartiesShape", "gks:StatementShape"]
    assert int(suite.get("tests")) >= 50  # one test case per shipped shape, passing ones included


# ---- library ------------------------------------------------------------------------------------------------

def test_library_report_object(broken):
    path, origins = broken
    report = validate(Graph().parse(path), origins=origins)
    assert not report.conforms
    assert report.counts() == {"violation": 2, "warning": 2, "info": 0}
    assert report.exit_code() == 1 and report.exit_code("warning") == 1
    speaker = next(r for r in report.results if r.path == str(GK.speaker))
    assert speaker.origin == origins[str(B["statement/unions-welcome-accord"])]
    assert report.shape_names[speaker.shape] == "statement"


def test_validate_help_documents_exit_codes_and_imports_nothing_heavy():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom gsomia_kg.cli import cli\n"
            "r = CliRunner().invoke(cli, ['validate', '--help'])\nassert r.exit_code == 0\nprint(r.output)\n"
            "print(sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    help_text, modules = proc.stdout.rstrip().rsplit("\n", 1)
    assert modules == "[]"
    flat = " ".join(help_text.split())
    assert "Exit codes: 0 the graph conforms" in flat and "1 violations" in flat and "2 bad input" in flat


def test_constraint_the_rewrite_cannot_take_is_left_to_pyshacl(tmp_path):
    shapes = tmp_path / "current.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix gk: <https://w3id.org/gsomia-kg/ns#> .\n"
        "<urn:current> a sh:NodeShape ; sh:targetClass gk:Source ; sh:message \"checked by {?s}\" ;\n"
        "  sh:sparql [ sh:select \"\"\"SELECT $this ?s WHERE { $this a ?t . BIND($currentShape AS ?s) }\"\"\" ] .\n")
    from gsomia_kg.validate import _split, load_shapes

    graph = load_shapes(shapes)
    assert _split(graph)[1] == []  # $currentShape: not rewritten
    report = validate(compile_corpus(TINY).graph, graph)
    assert [r.messages for r in report.results] == [("checked by urn:current",)]
    assert {r.component for r in report.results} == {str(SH.SPARQLConstraintComponent)}


def test_shapes_that_are_not_valid_shacl_exit_2(tmp_path):
    shapes = tmp_path / "values.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix gk: <https://w3id.org/gsomia-kg/ns#> .\n"
        "<urn:values> a sh:NodeShape ; sh:targetClass gk:Source ;\n"
        "  sh:sparql [ sh:select \"\"\"SELECT $this WHERE { VALUES ?n { 1 } $this a ?t . }\"\"\" ] .\n")
    run = invoke("--corpus", str(TINY), "--shapes", str(shapes))
    assert run.exit_code == 2
    assert "not valid SHACL" in run.stderr and "VALUES" in run.stderr


def test_focus_nodes_come_from_every_kind_of_target(tmp_path):
    shapes = tmp_path / "targets.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix gk: <https://w3id.org/gsomia-kg/ns#> .\n"
        "<urn:t> a sh:NodeShape ; sh:targetNode <https://example.org/tiny/state/freedonia> ;\n"
        "  sh:targetSubjectsOf gk:holder ; sh:targetObjectsOf gk:speakerRole ; sh:targetClass gk:Group ;\n"
        "  sh:message \"seen\" ; sh:sparql [ sh:select \"SELECT $this WHERE { $this ?p ?o . }\" ] .\n")
    from gsomia_kg.validate import _split, load_shapes

    graph = load_shapes(shapes)
    assert len(_split(graph)[1]) == 1
    fast = validate(compile_corpus(TINY).graph, graph)
    exact = validate(compile_corpus(TINY).graph, graph, engine="pyshacl")
    focus = sorted(str(r.focus).rsplit("/", 1)[1] for r in fast.results)
    assert focus == ["brandt-fisheries-minister", "freedonia", "freedonian-opposition"]
    assert [(r.focus, r.messages) for r in fast.results] == [(r.focus, r.messages) for r in exact.results]


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError):
        validate(Graph(), engine="jena")


def test_results_without_origins_have_no_location():
    g = Graph()
    g.add((URIRef("urn:a"), RDF.type, GK.Source))
    report = validate(g)
    assert not report.conforms
    assert all(r.origin is None for r in report.results)


# ---- CI integration -----------------------------------------------------------------------------------------

def test_positional_files_are_data_files(tmp_path):
    built = compile_corpus(FIXTURE)
    whole = to_ntriples(built.graph).splitlines(keepends=True)
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    first.write_bytes(b"".join(whole[::2]))
    second.write_bytes(b"".join(whole[1::2]))
    assert invoke(str(first)).exit_code == 1  # half a graph is broken...
    run = invoke(str(first), str(second), "--format", "json")  # ...the two halves together are not
    assert run.exit_code == 0, run.output


def test_pre_commit_hooks_run(tmp_path):
    import shutil

    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"gsomia-kg-validate", "gsomia-kg-validate-rdf"}
    shutil.copytree(FIXTURE, tmp_path / "corpus")
    data = tmp_path / "graph.ttl"
    data.write_bytes(to_turtle(compile_corpus(FIXTURE).graph))
    for hook, files in ((hooks["gsomia-kg-validate"], []), (hooks["gsomia-kg-validate-rdf"], [str(data)])):
        argv = hook["entry"].split()
        assert argv[:2] == ["gsomia-kg", "validate"] and hook["pass_filenames"] == bool(files)
        proc = run_cli(*argv[1:], *files, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr.decode()


def test_example_workflow_commands_are_valid(tmp_path):
    import shutil

    import yaml

    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    commands = [step["run"] for step in workflow["jobs"]["validate"]["steps"]
                if "gsomia-kg validate" in step.get("run", "")]
    assert len(commands) == 2
    shutil.copytree(FIXTURE, tmp_path / "corpus")
    for command in commands:
        argv = command.split("||")[0].split()
        proc = run_cli(*argv[1:], cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr.decode()
    assert ET.parse(tmp_path / "validation-junit.xml").getroot().tag == "testsuites"
