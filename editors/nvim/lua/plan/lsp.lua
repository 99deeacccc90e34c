-- Starting plan-lsp, finding the workspace root, and the server's custom commands.
local M = {}

M.NAME = "plan"
M.COST_REPORT = "plan.server.costReport"

-- root dir -> client id, for Neovim 0.7 where vim.lsp.start() (which reuses clients by
-- name and root) does not exist yet.
local clients = {}
local warned_missing = false

local function notify(msg, level)
  vim.notify(msg, level or vim.log.levels.INFO, { title = "plan" })
end

-- Neovim 0.11 turned client methods into `client:request(...)`; older versions use
-- `client.request(...)`.
local function client_call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

-- `dir` and each of its ancestors, nearest first.
local function ancestors(dir)
  local list = {}
  while true do
    table.insert(list, dir)
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return list
    end
    dir = parent
  end
end

-- The `plan NAME {` header, or `plan NAME` with the brace on a later line.
-- Returns "open", "pending" (name seen, brace not yet) or nil.
local function plan_header(line)
  local rest = line:match("^%s*plan%s+[%a_][%w_-]*(.*)$") or line:match('^%s*plan%s+"[^"]*"(.*)$')
  if not rest then
    return nil
  end
  if rest:match("^%s*{") then
    return "open"
  end
  if rest:match("^%s*$") or rest:match("^%s*//") then
    return "pending"
  end
  return nil
end

--- Whether the file at `path` declares the workspace's `plan` block.
function M.has_plan_block(path)
  local file = io.open(path, "r")
  if not file then
    return false
  end
  local pending = false
  local found = false
  for line in file:lines() do
    if pending and not line:match("^%s*$") then
      if line:match("^%s*{") then
        found = true
        break
      end
      pending = false
    end
    local header = plan_header(line)
    if header == "open" then
      found = true
      break
    end
    pending = header == "pending"
  end
  file:close()
  return found
end

-- The *.plan files directly in `dir` (scandir rather than glob: no escaping of odd names).
local function plan_files(dir)
  local files = {}
  local handle = vim.loop.fs_scandir(dir)
  while handle do
    local name, kind = vim.loop.fs_scandir_next(handle)
    if not name then
      break
    end
    if name:match("%.plan$") and kind ~= "directory" then
      table.insert(files, dir .. "/" .. name)
    end
  end
  table.sort(files)
  return files
end

--- The workspace root for the file at `path`: the nearest directory (starting with the
--- file's own) that holds a .plan file with the `plan` block; else the nearest directory
--- holding one of `markers`; else the file's directory.
function M.find_root(path, markers)
  local start = vim.fn.fnamemodify(path, ":p:h")
  local dirs = ancestors(start)
  for _, dir in ipairs(dirs) do
    for _, file in ipairs(plan_files(dir)) do
      if M.has_plan_block(file) then
        return dir
      end
    end
  end
  for _, dir in ipairs(dirs) do
    for _, marker in ipairs(markers or {}) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
  end
  return start
end

local function client_config(root, opts)
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if opts.capabilities then
    capabilities = vim.tbl_deep_extend("force", capabilities, opts.capabilities)
  end
  local settings = opts.settings or {}
  return {
    name = M.NAME,
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = capabilities,
    settings = settings,
    on_attach = opts.on_attach,
    on_init = function(client)
      -- Servers that read settings by push rather than workspace/configuration.
      if next(settings) ~= nil then
        client_call(client, "notify", "workspace/didChangeConfiguration", { settings = settings })
      end
    end,
  }
end

--- Start (or reuse) the client for the buffer's workspace and attach the buffer.
--- Returns the client id, or nil when nothing was started.
function M.start(bufnr, opts)
  if vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return nil -- the server works on files; an unnamed buffer has no workspace
  end
  local cmd = opts.cmd
  if type(cmd) == "table" and vim.fn.executable(cmd[1]) ~= 1 then
    if not warned_missing then
      warned_missing = true
      notify(
        ("plan: the language server %q was not found. Install it with `cargo install --path lsp` "
          .. "in the Plan repository (puts plan-lsp in ~/.cargo/bin), or point the plugin at it: "
          .. 'require("plan").setup({ cmd = { "/path/to/plan-lsp" } })'):format(cmd[1]),
        vim.log.levels.WARN
      )
    end
    return nil
  end

  local root = M.find_root(path, opts.root_markers)
  local config = client_config(root, opts)
  if vim.lsp.start then -- 0.8+: reuses the client with the same name and root_dir
    return vim.lsp.start(config, { bufnr = bufnr })
  end

  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The plan client attached to `bufnr`, else any running plan client.
function M.get_client(bufnr)
  local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
  local fallback
  for _, client in ipairs(get_clients()) do
    if client.name == M.NAME then
      if vim.lsp.buf_is_attached(bufnr, client.id) then
        return client
      end
      fallback = fallback or client
    end
  end
  return fallback
end

--- Whether the server advertises `command` in executeCommandProvider.commands.
function M.supports_command(client, command)
  local caps = client.server_capabilities or {}
  local provider = caps.executeCommandProvider
  return type(provider) == "table" and vim.tbl_contains(provider.commands or {}, command)
end

--- Show `markdown` in a new scratch split and return its buffer.
function M.open_markdown(markdown, name)
  vim.cmd("new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, "\n", { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  if name then
    pcall(vim.api.nvim_buf_set_name, buf, name) -- fails harmlessly if a report is already open
  end
  return buf
end

--- :PlanCostReport — ask the server for the cost report (Markdown) and show it.
--- `on_done(report_bufnr)` is called after the report opened (used by the tests).
function M.cost_report(bufnr, on_done)
  local client = M.get_client(bufnr)
  if not client then
    notify("plan: no plan-lsp client is running (open a .plan file; is plan-lsp installed? see :help plan-install)", vim.log.levels.ERROR)
    return
  end
  local params = { command = M.COST_REPORT, arguments = {} }
  local handler = vim.schedule_wrap(function(err, result)
    if err then
      notify("plan: cost report failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    -- The server returns a Markdown string; accept a MarkupContent-like table too.
    local text = result
    if type(result) == "table" then
      text = result.markdown or result.value
    end
    if type(text) ~= "string" or text == "" then
      notify("plan: the server returned no cost report", vim.log.levels.WARN)
      return
    end
    local report = M.open_markdown(text, "plan://cost-report")
    if on_done then
      on_done(report)
    end
  end)
  client_call(client, "request", "workspace/executeCommand", params, handler, bufnr)
end

return M
