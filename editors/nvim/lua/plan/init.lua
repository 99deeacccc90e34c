-- Plan language support for Neovim 0.7+: configuration and the user-facing actions.
--
--   require("plan").setup({ cmd = { "plan-lsp" }, treesitter = true })
--
-- setup() is optional: the ftplugin starts everything with the defaults below.
local M = {}

-- The plugin's own directory (…/editors/nvim), found from this file's path so that it is
-- right whatever plugin manager put it on 'runtimepath'.
M.plugin_dir = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h:h:h")

local function defaults()
  return {
    -- Language server command; a table of strings, as for vim.lsp.start_client().
    cmd = { "plan-lsp" },
    -- Root fallback when no ancestor directory holds the `plan { }` block.
    root_markers = { ".git" },
    on_attach = nil, -- function(client, bufnr)
    capabilities = nil, -- merged into vim.lsp.protocol.make_client_capabilities()
    settings = {},
    -- Set to false when the server is started some other way (e.g. nvim-lspconfig).
    lsp = true,
    -- Highlight with the tree-sitter parser when one is available, else use syntax/plan.vim.
    treesitter = true,
    -- Where :PlanBuildParser finds the generated C sources and puts plan.so.
    grammar_src = vim.fn.simplify(M.plugin_dir .. "/../../grammar/src"),
    parser_dir = M.plugin_dir .. "/parser",
  }
end

M.config = defaults()

--- Configure the plugin. Options not given keep their defaults; list and table options
--- (cmd, root_markers, capabilities, settings) replace the default as a whole.
function M.setup(opts)
  M.config = vim.tbl_extend("force", defaults(), opts or {})
  return M
end

--- Called by ftplugin/plan.lua for every buffer whose filetype becomes `plan`.
function M.attach(bufnr)
  if M.config.lsp then
    require("plan.lsp").start(bufnr, M.config)
  end
  if M.config.treesitter then
    require("plan.treesitter").start(bufnr, M.config)
  end
end

--- :PlanCostReport
function M.cost_report(bufnr)
  return require("plan.lsp").cost_report(bufnr or vim.api.nvim_get_current_buf())
end

--- :PlanBuildParser
function M.build_parser(on_done)
  return require("plan.treesitter").build(M.config, on_done)
end

return M
