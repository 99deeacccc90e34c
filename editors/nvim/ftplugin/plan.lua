-- Buffer settings for Plan files, and starting the language server / tree-sitter.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

local bufnr = vim.api.nvim_get_current_buf()

vim.bo.commentstring = "// %s"
vim.bo.comments = ":///,://"
vim.bo.expandtab = true
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
-- Continue comments on <Enter>/o, format them with gq, but do not wrap code.
vim.opt_local.formatoptions:remove("t")
vim.opt_local.formatoptions:append("croql")

vim.b.undo_ftplugin = "setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< formatoptions<"

require("plan").attach(bufnr)
