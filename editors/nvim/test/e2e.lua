-- End-to-end test of the Plan Neovim plugin against a real plan-lsp.
-- Run through test/run.sh, which puts the plugin on 'runtimepath' and plan-lsp on PATH.
-- Exits 0 when every check passes, 1 (with the reason on stderr) otherwise.

local TIMEOUT_MS = 20000
local uv = vim.loop

local function say(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), " "), "\n")
end

-- A failed check raises a table, so that only unexpected Lua errors get a traceback.
local function fail(msg)
  error({ failed = msg }, 0)
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

local function wait_for(what, cond)
  check(vim.wait(TIMEOUT_MS, cond, 50), "timed out after " .. TIMEOUT_MS .. " ms waiting for " .. what)
end

local function real(path)
  return uv.fs_realpath(path) or path
end

local function write(path, text)
  local file = assert(io.open(path, "w"))
  file:write(text)
  file:close()
end

-- A global timeout, so the test can never hang (run.sh has an outer one too).
local watchdog = uv.new_timer()
watchdog:start(120000, 0, vim.schedule_wrap(function()
  io.stderr:write("FAIL: global timeout (120 s)\n")
  vim.cmd("cquit 1")
end))

-- Show the plugin's notifications in the test log, one per line.
vim.notify = function(msg, level)
  say(("     [notify %s] %s"):format(level or vim.log.levels.INFO, tostring(msg):gsub("\n", "\n       ")))
end

local plugin = require("plan").plugin_dir
local repo = vim.fn.fnamemodify(plugin, ":h:h")

local function main()
  -- A workspace outside the repository: the shop example plus a file with an error.
  local tmp = vim.fn.tempname() -- under Neovim's own temp dir, removed when it exits
  local ws = tmp .. "/shop"
  vim.fn.mkdir(tmp, "p")
  local copied = vim.fn.system({ "cp", "-R", repo .. "/examples/shop", ws })
  check(vim.v.shell_error == 0, "copying examples/shop failed: " .. copied)
  write(ws .. "/broken.plan", 'service broken { cluster = nosuch  image = "x:1" }\n')

  -- Record every publishDiagnostics, also the empty ones (the shop example may be clean).
  local published = {}
  local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
    if result and result.uri then
      published[real(vim.uri_to_fname(result.uri))] = true
    end
    return publish(err, result, ctx, config)
  end

  -- 1. Root detection (no server needed).
  local lsp = require("plan.lsp")
  check(lsp.find_root(ws .. "/services.plan", { ".git" }) == ws, "root of services.plan is not " .. ws)
  check(lsp.find_root(ws .. "/nested/deeper/x.plan", { ".git" }) == ws, "a nested file does not find the plan block above it")
  vim.fn.mkdir(tmp .. "/repo/split", "p")
  write(tmp .. "/repo/split/main.plan", "// workspace\nplan split\n{\n  cloud = aws\n}\n")
  check(lsp.find_root(tmp .. "/repo/split/x.plan", { ".git" }) == tmp .. "/repo/split", "`plan NAME` with `{` on the next line was not found")
  say("ok   root detection: nearest directory with the plan block (`{` on the same or the next line)")
  -- The fallbacks only apply when no ancestor of the temp dir holds a plan block (a stray
  -- /tmp/*.plan would be the root, by design).
  local stray = lsp.find_root(tmp .. "/probe.plan", {})
  if stray == tmp then
    vim.fn.mkdir(tmp .. "/repo/.git", "p")
    vim.fn.mkdir(tmp .. "/repo/a/b", "p")
    check(lsp.find_root(tmp .. "/repo/a/b/x.plan", { ".git" }) == tmp .. "/repo", "the .git fallback was not used")
    vim.fn.mkdir(tmp .. "/loose", "p")
    check(lsp.find_root(tmp .. "/loose/x.plan", {}) == tmp .. "/loose", "the file's own directory was not the last resort")
    say("ok   root fallbacks: nearest .git, else the file's directory")
  else
    say("skip root fallbacks (.git, file directory): " .. stray .. " holds a plan block above the temp dir")
  end

  -- 2. Filetype and buffer options.
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/services.plan"))
  local services = vim.api.nvim_get_current_buf()
  check(vim.bo.filetype == "plan", "filetype is '" .. vim.bo.filetype .. "', expected 'plan'")
  check(vim.bo.commentstring == "// %s", "commentstring is " .. vim.bo.commentstring)
  check(vim.bo.comments == ":///,://", "comments is " .. vim.bo.comments)
  check(vim.bo.expandtab and vim.bo.shiftwidth == 2, "indentation is not 2 spaces")
  say("ok   filetype plan, commentstring, comments, expandtab shiftwidth=2")

  -- 3. The language server attaches, with the temp workspace as its root.
  local client
  wait_for("plan-lsp to attach to services.plan", function()
    client = lsp.get_client(services)
    return client ~= nil and vim.lsp.buf_is_attached(services, client.id) and client.initialized ~= false
  end)
  check(real(client.config.root_dir) == real(ws), "client root is " .. tostring(client.config.root_dir) .. ", expected " .. ws)
  say("ok   plan-lsp attached (client " .. client.id .. "), root " .. client.config.root_dir)

  wait_for("diagnostics for services.plan", function()
    return published[real(ws .. "/services.plan")] ~= nil
  end)
  say("ok   diagnostics published for services.plan (" .. #vim.diagnostic.get(services) .. " of them)")

  -- 4. A file with a deliberate error: same client (one per root), error diagnostic on `nosuch`.
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/broken.plan"))
  local broken = vim.api.nvim_get_current_buf()
  check(vim.bo.filetype == "plan", "broken.plan has filetype " .. vim.bo.filetype)
  wait_for("plan-lsp to attach to broken.plan", function()
    return vim.lsp.buf_is_attached(broken, client.id)
  end)
  local found
  wait_for("an error diagnostic mentioning `nosuch` in broken.plan", function()
    for _, d in ipairs(vim.diagnostic.get(broken, { severity = vim.diagnostic.severity.ERROR })) do
      if d.message:find("nosuch", 1, true) then
        found = d
        return true
      end
    end
    return false
  end)
  say(("ok   error diagnostic on broken.plan:%d: %s"):format(found.lnum + 1, found.message:gsub("\n.*", "")))
  local plan_clients = 0
  for _, c in ipairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    plan_clients = plan_clients + (c.name == "plan" and 1 or 0)
  end
  check(plan_clients == 1, plan_clients .. " plan clients run, expected one per root")
  say("ok   both buffers share one client")

  -- 5. Hover on `api` in `service api {`.
  vim.cmd("buffer " .. services)
  local line = vim.fn.search([[^service api {]], "w")
  check(line > 0, "`service api {` not found in services.plan")
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(services) },
    position = { line = line - 1, character = #"service " },
  }
  local responses = vim.lsp.buf_request_sync(services, "textDocument/hover", params, TIMEOUT_MS)
  local hover
  for _, response in pairs(responses or {}) do
    local contents = response.result and response.result.contents
    hover = hover or (type(contents) == "table" and contents.value) or (type(contents) == "string" and contents)
  end
  check(hover and hover ~= "", "hover on `api` returned nothing")
  check(hover:find("service api", 1, true), "hover does not name `service api`:\n" .. hover)
  check(hover:find("The public JSON API", 1, true), "hover lacks the doc comment of `api`:\n" .. hover)
  say("ok   hover on `api`: " .. hover:gsub("\n.*", ""))

  -- 6. :PlanCostReport, when the server offers it.
  if lsp.supports_command(client, lsp.COST_REPORT) then
    local before = vim.api.nvim_get_current_buf()
    vim.cmd("PlanCostReport")
    wait_for("the cost report buffer", function()
      return vim.api.nvim_get_current_buf() ~= before and vim.bo.filetype == "markdown"
    end)
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    check(text:match("%S"), "the cost report is empty")
    check(vim.bo.buftype == "nofile", "the report buffer is not a scratch buffer")
    say(("ok   :PlanCostReport opened a markdown scratch split (%d lines): %s"):format(
      vim.api.nvim_buf_line_count(0), text:match("[^\n]*")))
    vim.cmd("close")
  else
    say("skip :PlanCostReport: the server does not advertise " .. lsp.COST_REPORT)
  end

  -- 7. Tree-sitter: build the parser into a temp dir, parse, highlight.
  local src = repo .. "/grammar/src"
  if vim.fn.filereadable(src .. "/parser.c") == 0 then
    say("skip tree-sitter: " .. src .. "/parser.c does not exist yet")
    return
  end
  local ts_mod = require("plan.treesitter")
  require("plan").setup({ parser_dir = tmp .. "/parser" })
  vim.cmd("PlanBuildParser")
  wait_for("the parser to compile", function()
    return ts_mod.last_build ~= nil
  end)
  check(ts_mod.last_build.ok, ts_mod.last_build.message)
  check(ts_mod.load(require("plan").config), "plan.so was built but does not load")
  say("ok   :PlanBuildParser built " .. tmp .. "/parser/plan.so and it loads")

  local ts = vim.treesitter
  local tree = ts.get_parser(services, "plan"):parse()[1]
  local root = tree:root()
  if root:has_error() then
    -- Point at the first error to make the failure useful.
    local function first_error(node)
      if node:type() == "ERROR" or node:missing() then
        return node
      end
      for child in node:iter_children() do
        if child:has_error() then
          return first_error(child)
        end
      end
      return node
    end
    local row, col = first_error(root):range()
    fail(("the tree of services.plan has an error at %d:%d"):format(row + 1, col + 1))
  end
  say("ok   services.plan parses without errors (root " .. root:type() .. ")")

  -- Every query file must fit the grammar (node and field names).
  local parse_query = ts.query.parse or ts.query.parse_query or ts.parse_query
  for _, name in ipairs({ "highlights", "folds", "indents", "locals" }) do
    local file = plugin .. "/queries/plan/" .. name .. ".scm"
    if vim.fn.filereadable(file) == 1 then
      local ok, err = pcall(parse_query, "plan", table.concat(vim.fn.readfile(file), "\n"))
      check(ok, "queries/plan/" .. name .. ".scm does not fit the grammar: " .. tostring(err))
      say("ok   queries/plan/" .. name .. ".scm parses")
    else
      say("skip queries/plan/" .. name .. ".scm does not exist yet")
    end
  end

  if vim.fn.filereadable(plugin .. "/queries/plan/highlights.scm") == 0 then
    say("skip highlighter: no highlights.scm yet")
    return
  end
  check(ts_mod.active(services), "tree-sitter highlighting is not active in services.plan after the build")
  check(vim.b[services].current_syntax == nil or vim.bo[services].syntax == "", "syntax/plan.vim still runs under tree-sitter")
  say("ok   tree-sitter highlighter active for services.plan")

  -- Which captures the file produces, and which of them Neovim 0.7 has no highlight group for
  -- (0.8+ links every @capture; 0.7 only knows a fixed list, see highlighter.lua).
  local query = (ts.query.get or ts.query.get_query)("plan", "highlights")
  local used = {}
  for id in query:iter_captures(root, services) do
    used[query.captures[id]] = true
  end
  local names = vim.tbl_keys(used)
  table.sort(names)
  check(#names > 0, "highlights.scm captures nothing in services.plan")
  say("info captures used in services.plan: " .. table.concat(names, " "))
  if vim.fn.has("nvim-0.8") == 0 then
    local map = ts.highlighter.hl_map
    local function mapped(name)
      local group = rawget(map, name) -- rawget: hl_map's __index caches misses as "__notfound"
      return group ~= nil and group ~= "__notfound"
    end
    local unmapped = {}
    for _, name in ipairs(query.captures) do
      local first = name:sub(1, 1)
      if first ~= "_" and first == first:lower() and not mapped(name) then
        local base, found = name, false
        while base:find("%.") and not found do
          base = base:match("(.*)%.")
          found = mapped(base)
        end
        if not found then
          table.insert(unmapped, "@" .. name)
        end
      end
    end
    if #unmapped > 0 then
      say("note captures Neovim 0.7 does not highlight: " .. table.concat(unmapped, " "))
    end
  end
end

local ok, err = xpcall(main, function(e)
  return type(e) == "table" and e.failed or debug.traceback(e)
end)
watchdog:stop()
if ok then
  say("PASS")
  vim.cmd("qall!")
else
  io.stderr:write("FAIL: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
