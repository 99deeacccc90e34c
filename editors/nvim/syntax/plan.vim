" Vim syntax file for the Plan language (see LANGUAGE.md in the Plan repository).
" The fallback when tree-sitter highlighting is not active for the buffer.

" b:ts_highlight: tree-sitter highlighting already runs in this buffer (lua/plan/treesitter.lua).
if exists('b:current_syntax') || get(b:, 'ts_highlight', 0)
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync fromstart

" Identifiers are [A-Za-z_][A-Za-z0-9_-]*.

" Attribute keys: a name (or string) before `=`. Defined first so that the more specific
" items below win where they also match.
syn match planKey "\<\h[0-9A-Za-z_-]*\ze\s*="

" A block of another name (`tags {`, `backup {`) is an attribute written as a block.
syn match planKey +\%(^\|[{};,]\)\s*\zs\<\h[0-9A-Za-z_-]*\ze\s*{+

" Block kinds: a core kind at the start of an item, followed by an optional label and `{`
" (or the end of the line, when the brace is on the next one). After the planKey above so
" that `policy {` is a kind.
syn match planKind +\%(^\|[{};,]\)\s*\zs\<\%(plan\|env\|network\|subnet\|cluster\|node_pool\|service\|worker\|job\|function\|database\|cache\|bucket\|queue\|topic\|gateway\|cdn\|vm\|registry\|decision\|option\|policy\|monitoring\|notify\|alert\|slo\|migration\|phase\|risk\|replica\|dns\|record\|container\|state\)\>\ze\s*\%(\%(\h[0-9A-Za-z_-]*\|"[^"]*"\)\s*\)\=\%({\|$\)+ nextgroup=planBlockLabel skipwhite skipnl
syn match planBlockLabel "\h[0-9A-Za-z_-]*" contained
syn region planBlockLabel start=+"+ end=+"+ oneline contained

" Calls like secret("...").
syn match planFunction "\<\h[0-9A-Za-z_-]*\ze("

" Literals. A number may not continue an identifier (api-2, a1).
syn keyword planBoolean true false
syn match planNumber "\%(\w\|-\)\@<!-\=\d[0-9_]*\%(\.\d[0-9_]*\)\=\>"
syn match planQuantity "\%(\w\|-\)\@<!-\=\d[0-9_]*\%(\.\d[0-9_]*\)\=\%(Ki\|Mi\|Gi\|Ti\|KB\|MB\|GB\|TB\|ms\|min\|s\|h\|d\|m\)\>"
syn match planQuantity "\%(\w\|-\)\@<!-\=\d[0-9_]*\%(\.\d[0-9_]*\)\=%"
syn match planMoney "\$\d[0-9_]*\%(\.\d[0-9_]*\)\=\%(/\%(mo\|h\|yr\)\>\)\="
syn match planOperator "\.\.\|="

" Strings: one line, escapes, ${ } interpolation. Text blocks: """ … """, no escapes.
syn match planEscape +\\\%(["\\nt]\|u{\x\+}\)+ contained
syn cluster planExpr contains=planNumber,planQuantity,planMoney,planBoolean,planString,planFunction,planOperator
syn region planInterpolation matchgroup=planInterpolationDelim start="\${" end="}" contained contains=@planExpr
syn region planString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline contains=planEscape,planInterpolation,@Spell
" After planString so that a """ at the same column starts a text block.
syn region planTextBlock start=+"""+ end=+"""+ contains=@Spell
" A string key before `=` ("/api" = api).
syn match planKey +"[^"]*"\ze\s*=+

" Comments: line, doc (///) and block comments, which nest.
syn keyword planTodo TODO FIXME XXX NOTE contained
syn match planComment "//.*$" contains=planTodo,@Spell
syn match planDocComment "///.*$" contains=planTodo,@Spell
syn region planBlockComment start="/\*" end="\*/" contains=planBlockComment,planTodo,@Spell

hi def link planComment Comment
hi def link planBlockComment Comment
hi def link planDocComment SpecialComment
hi def link planTodo Todo
hi def link planKind Keyword
hi def link planBlockLabel Function
hi def link planKey Identifier
hi def link planFunction Function
hi def link planBoolean Boolean
hi def link planNumber Number
hi def link planQuantity Number
hi def link planMoney Number
hi def link planOperator Operator
hi def link planString String
hi def link planTextBlock String
hi def link planEscape SpecialChar
hi def link planInterpolationDelim Delimiter

let b:current_syntax = 'plan'

let &cpo = s:cpo_save
unlet s:cpo_save
