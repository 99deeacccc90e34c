-- User commands of the Plan plugin (the rest lives in lua/plan/ and ftplugin/plan.lua).
if vim.g.loaded_plan then
  return
end
vim.g.loaded_plan = 1

vim.api.nvim_create_user_command("PlanCostReport", function()
  require("plan").cost_report()
end, { desc = "Plan: show the monthly cost report from plan-lsp" })

vim.api.nvim_create_user_command("PlanBuildParser", function()
  require("plan").build_parser()
end, { desc = "Plan: compile the tree-sitter parser into the plugin's parser/ directory" })
