-- Neovim's built-in LSP client (0.7 API: start_client + buf_attach_client)
-- on stresslint-clangd: open a file, wait for clangd's and stresslint's
-- diagnostics, write them to $OUT (source, line, column, code, message).
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
vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 100)
vim.cmd(ok and 'qa!' or 'cq')
