-- Neovim's built-in LSP client (0.7 API: start_client + buf_attach_client)
-- on stresslint-clangd: open a file, wait for clangd's and stresslint's
-- diagnostics, write them to $OUT (source, line, column, code, message);
-- then open $FIXFILE, ask for the code actions at stresslint's finding,
-- apply its quick fix and write the buffer to $FIXOUT.
local wrapper = os.getenv('STRESSLINT_CLANGD')
local root = os.getenv('PROJECT')
local file = os.getenv('FILE')
local out = os.getenv('OUT')

local client_id = vim.lsp.start_client({
  name = 'stresslint-clangd',
  cmd = { wrapper, '--log=error' },
  root_dir = root,
})
if not client_id then
  vim.fn.writefile({ 'ERROR: could not start ' .. wrapper }, out)
  vim.cmd('cq')
end
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)

local function has_both()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    seen[d.source or ''] = true
  end
  return seen['clang'] and seen['stresslint']
end
local ok = vim.wait(90000, has_both, 200)

local lines = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local message = (d.message:gsub('\n', ' '))
  table.insert(lines, string.format('%s\t%d\t%d\t%s\t%s', d.source or '', d.lnum + 1,
    d.col + 1, tostring(d.code or ''), message))
end
if not ok then
  table.insert(lines, 'TIMEOUT')
end
vim.fn.writefile(lines, out)

local fixfile = os.getenv('FIXFILE')
local fixout = os.getenv('FIXOUT')
local fixed = false
if ok and fixfile then
  vim.cmd('edit ' .. vim.fn.fnameescape(fixfile))
  local fbuf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(fbuf, client_id)
  local finding
  vim.wait(90000, function()
    for _, d in ipairs(vim.diagnostic.get(fbuf)) do
      if d.source == 'stresslint' and d.code == 'stress-select-star' then
        finding = d
        return true
      end
    end
    return false
  end, 200)
  if finding then
    local range = {
      start = { line = finding.lnum, character = finding.col },
      ['end'] = { line = finding.end_lnum, character = finding.end_col },
    }
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(fbuf) },
      range = range,
      context = { diagnostics = { finding.user_data and finding.user_data.lsp or {} } },
    }
    local answers = vim.lsp.buf_request_sync(fbuf, 'textDocument/codeAction', params, 30000) or {}
    for _, answer in pairs(answers) do
      for _, action in ipairs(answer.result or {}) do
        if not fixed and action.kind == 'quickfix' and action.edit and
            (action.title or ''):find('stresslint', 1, true) then
          vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
          fixed = true
        end
      end
    end
  end
  vim.fn.writefile(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false), fixout)
end
vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 100)
vim.cmd(ok and 'qa!' or 'cq')
