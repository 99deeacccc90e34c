-- Tree-sitter highlighting for Plan, and building the parser from grammar/src.
--
-- Works with Neovim's built-in tree-sitter support (no nvim-treesitter needed). The parser
-- is grammar/src/{parser,scanner}.c compiled to plan.so (ABI 14, which 0.7 can load); the
-- queries come from queries/plan/*.scm on 'runtimepath'.
local M = {}

M.LANG = "plan"

-- Result of the last :PlanBuildParser: nil while none finished, else { ok, message }.
M.last_build = nil

local ts = vim.treesitter
local warned = {}

local function notify(msg, level)
  vim.notify(msg, level or vim.log.levels.INFO, { title = "plan" })
end

local function notify_once(key, msg, level)
  if not warned[key] then
    warned[key] = true
    notify(msg, level)
  end
end

local function readable(path)
  return vim.fn.filereadable(path) == 1
end

local function get_query(lang, name)
  local get = ts.query.get or ts.query.get_query -- query.get is 0.9+
  return get(lang, name)
end

local function language_loaded()
  local inspect = ts.language.inspect or ts.inspect_language -- language.inspect is 0.9+
  return (pcall(inspect, M.LANG))
end

--- Register the parser if needed. Looks, in order, for a parser already registered (by this
--- plugin or nvim-treesitter), `<parser_dir>/plan.so`, then `parser/plan.so` on
--- 'runtimepath'. Returns true when the language is usable.
function M.load(opts)
  local path = opts and opts.parser_dir and (opts.parser_dir .. "/plan.so")
  if path and not readable(path) then
    path = nil
  end
  if ts.language.add then -- 0.9+
    pcall(ts.language.add, M.LANG, path and { path = path } or nil)
  else
    pcall(ts.require_language, M.LANG, path, true)
  end
  return language_loaded()
end

--- Whether tree-sitter highlighting runs in `bufnr`.
function M.active(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  return ts.highlighter.active[bufnr] ~= nil
end

-- The highlights query, or nil (with the reason) when it is missing or does not fit the
-- parser. queries/plan/*.scm are symlinks into grammar/queries, so they dangle until the
-- grammar exists; that is "no query", not an error.
local function highlights_query()
  local get_files = ts.query.get_files or ts.query.get_query_files -- get_files is 0.9+
  local files = get_files(M.LANG, "highlights")
  if #files == 0 then
    return nil, "no queries/plan/highlights.scm on 'runtimepath'"
  end
  for _, file in ipairs(files) do
    if not readable(file) then
      return nil, file .. " is missing"
    end
  end
  local ok, query = pcall(get_query, M.LANG, "highlights")
  if not ok then
    notify_once("query", "plan: highlights.scm does not fit the parser: " .. tostring(query), vim.log.levels.WARN)
    return nil, tostring(query)
  end
  return query
end

--- Start tree-sitter highlighting in `bufnr` when a parser and highlights query are
--- available; otherwise leave (or put back) the syntax/plan.vim highlighting.
--- Returns true when tree-sitter highlighting is active.
function M.start(bufnr, opts)
  if M.active(bufnr) then
    return true
  end
  if not M.load(opts) or not highlights_query() then
    return false
  end
  local ok, err = pcall(function()
    if ts.start then -- 0.8+
      ts.start(bufnr, M.LANG)
    else
      ts.highlighter.new(ts.get_parser(bufnr, M.LANG))
    end
  end)
  if not ok then
    notify_once("start", "plan: tree-sitter highlighting failed, using syntax/plan.vim: " .. tostring(err), vim.log.levels.WARN)
    vim.bo[bufnr].syntax = M.LANG
    return false
  end
  -- Tells syntax/plan.vim (loaded by the FileType autocmd that runs after this ftplugin)
  -- to stay off; 0.9+ sets it itself.
  vim.b[bufnr].ts_highlight = true
  return true
end

--- :PlanBuildParser — compile <grammar_src>/parser.c (+ scanner.c) into <parser_dir>/plan.so.
--- Runs the compiler as a job; `on_done(ok, message)` is called when it finishes.
function M.build(opts, on_done)
  local function finish(ok, message)
    M.last_build = { ok = ok, message = message }
    notify(message, ok and vim.log.levels.INFO or vim.log.levels.ERROR)
    if on_done then
      on_done(ok, message)
    end
  end

  local src = vim.fn.fnamemodify(opts.grammar_src, ":p"):gsub("/$", "")
  if not readable(src .. "/parser.c") then
    finish(false, ("plan: no %s/parser.c; generate the grammar first, or set grammar_src in setup()"):format(src))
    return
  end
  local parser_dir = vim.fn.fnamemodify(opts.parser_dir, ":p"):gsub("/$", "")
  vim.fn.mkdir(parser_dir, "p")
  local target = parser_dir .. "/plan.so"
  -- Compile next to the target and rename into place: overwriting a plan.so that a running
  -- Neovim has loaded would crash it.
  local tmp = ("%s.%d.tmp"):format(target, vim.loop.getpid())
  local cmd = { "cc", "-o", tmp, "-shared", "-fPIC", "-O2", "-I" .. src, src .. "/parser.c" }
  if readable(src .. "/scanner.c") then
    table.insert(cmd, src .. "/scanner.c")
  end
  local was_loaded = language_loaded()
  local output = {}
  local function collect(_, data)
    for _, line in ipairs(data or {}) do
      if line ~= "" then
        table.insert(output, line)
      end
    end
  end

  notify("plan: compiling the parser: " .. table.concat(cmd, " "))
  local job = vim.fn.jobstart(cmd, {
    on_stdout = collect,
    on_stderr = collect,
    on_exit = function(_, code)
      if code ~= 0 then
        os.remove(tmp)
        finish(false, ("plan: compiling the parser failed (exit %d):\n%s"):format(code, table.concat(output, "\n")))
        return
      end
      local ok, err = os.rename(tmp, target)
      if not ok then
        os.remove(tmp)
        finish(false, "plan: could not write " .. target .. ": " .. tostring(err))
        return
      end
      if was_loaded then
        finish(true, "plan: built " .. target .. "; restart Neovim to load the new parser")
        return
      end
      -- Highlight the Plan buffers that are already open.
      if opts.treesitter then
        for _, buf in ipairs(vim.api.nvim_list_bufs()) do
          if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == M.LANG then
            M.start(buf, opts)
          end
        end
      end
      finish(true, "plan: built " .. target)
    end,
  })
  if job <= 0 then
    finish(false, "plan: could not run the C compiler `cc`")
  end
end

return M
