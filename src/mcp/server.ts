import { McpServer } from '@modelcontextprotocol/server';
import type { ToolDeps } from './context.js';
import { register as authStatus } from './tools/auth-status.js';
import { register as authLogin } from './tools/auth-login.js';
import { register as authLogout } from './tools/auth-logout.js';
import { register as spacesList } from './tools/spaces-list.js';
import { register as pagesSearch } from './tools/pages-search.js';
import { register as pageRead } from './tools/page-read.js';
import { register as pageChildren } from './tools/page-children.js';
import { register as pageCreate } from './tools/page-create.js';
import { register as pageUpdate } from './tools/page-update.js';
import { register as pageEdit } from './tools/page-edit.js';

/** The MCP server: registers the tools over the shared core; knows no transport. */
export function createServer(deps: ToolDeps, version: string): McpServer {
  const server = new McpServer(
    { name: 'confluence-adf', version },
    {
      // The tool list is fixed for the life of the server.
      capabilities: { tools: { listChanged: false } },
      instructions:
        'Confluence Cloud through the login of the confluence-adf CLI. If a tool reports that sign-in is needed, call auth_login_start, ' +
        'show the user the URL, then call auth_login_complete.',
    },
  );
  authStatus(server, deps);
  authLogin(server, deps);
  authLogout(server, deps);
  spacesList(server, deps);
  pagesSearch(server, deps);
  pageRead(server, deps);
  pageChildren(server, deps);
  pageCreate(server, deps);
  pageUpdate(server, deps);
  pageEdit(server, deps);
  return server;
}
