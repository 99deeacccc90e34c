" Vim indent file for the Plan language: one 'shiftwidth' per open { [ (.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal autoindent nosmartindent nocindent
setlocal indentexpr=PlanIndent()
setlocal indentkeys=0},0],0),!^F,o,O
let b:undo_indent = 'setlocal autoindent< smartindent< cindent< indentexpr< indentkeys<'

if exists('*PlanIndent')
  finish
endif

" Whether line a:lnum starts inside a """ text block (odd number of """ above it).
function! s:InTextBlock(lnum) abort
  let n = 0
  for line in getline(1, a:lnum - 1)
    let n += len(split(line, '"""', 1)) - 1
  endfor
  return n % 2 == 1
endfunction

function! PlanIndent() abort
  " Text block contents are the user's own layout: keep it.
  if s:InTextBlock(v:lnum)
    return -1
  endif
  let prev = prevnonblank(v:lnum - 1)
  if prev == 0
    return 0
  endif
  let ind = indent(prev)
  " Ignore a trailing line comment when looking for an opening bracket.
  let prev_line = substitute(getline(prev), '\s*//.*$', '', '')
  if prev_line =~# '[{[(]\s*$'
    let ind += shiftwidth()
  endif
  if getline(v:lnum) =~# '^\s*[}\])]'
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction
