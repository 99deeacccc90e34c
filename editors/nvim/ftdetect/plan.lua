-- *.plan files are Plan sources. `set filetype` rather than `setfiletype`, so this wins
-- over any earlier guess for the extension.
vim.cmd([[autocmd BufRead,BufNewFile *.plan set filetype=plan]])
