"""plan-lsp driven by a third-party client, pytest-lsp (pygls), as an editor would.

The server binary comes from the PLAN_LSP environment variable (the Rust test that runs
this file sets it to the freshly built binary).
"""
import os
import pathlib
import shutil
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

FIXTURE = pathlib.Path(__file__).parent.parent / "fixtures" / "lsp" / "workspace"


@pytest.fixture(scope="module")
def workspace():
    root = pathlib.Path(tempfile.mkdtemp(prefix="plan-lsp-pytest-"))
    for path in FIXTURE.iterdir():
        shutil.copy(path, root / path.name)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[os.environ.get("PLAN_LSP", "plan-lsp")]))
async def client(lsp_client: LanguageClient, workspace):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_diagnostics_and_hover(client: LanguageClient, workspace):
    data = workspace / "data.plan"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=data.as_uri(), language_id="plan", version=1, text=data.read_text())
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    # Diagnostics of every file arrive; wait until data.plan's are there.
    for _ in range(20):
        if data.as_uri() in client.diagnostics:
            break
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = [diagnostic.code for diagnostic in client.diagnostics[data.as_uri()]]
    assert codes == ["SEC103"], codes

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=data.as_uri()), position=types.Position(line=0, character=10))
    )
    assert hover is not None
    assert "database orders" in hover.contents.value
    assert "Monthly cost" in hover.contents.value
