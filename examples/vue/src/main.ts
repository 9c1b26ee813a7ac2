// An auth0-vue app, on auth0-enclave: the same plugin, composable and route guard; the API is
// called with fetchWithAuth, so the access token never reaches this page. Render functions keep
// the example free of a build plugin.
import { createAuth0, createAuthGuard, useAuth0 } from 'auth0-enclave/vue';
import { createApp, defineComponent, h, onMounted, ref } from 'vue';
import { createRouter, createWebHistory, RouterLink, RouterView } from 'vue-router';

/** The API's base URL (on the worker's allow-list). Not a secret: the token is. */
const API = import.meta.env.VITE_API_URL;

const Home = defineComponent(() => {
  const { isLoading, isAuthenticated, user, error, loginWithRedirect, logout } = useAuth0();
  return () => {
    if (isLoading.value) return h('p', { id: 'status' }, 'Loading…');
    if (error.value) return h('p', { id: 'status' }, `Error: ${error.value.name}`);
    return [
      h('p', { id: 'status' }, isAuthenticated.value ? `Hello ${user.value?.name}` : 'Logged out'),
      isAuthenticated.value
        ? h('button', { type: 'button', onClick: () => logout() }, 'Log out')
        : h('button', { type: 'button', onClick: () => loginWithRedirect() }, 'Log in'),
      h(RouterLink, { to: '/notes' }, () => 'Notes'),
    ];
  };
});

const Notes = defineComponent(() => {
  const { fetchWithAuth } = useAuth0();
  const me = ref('…');
  onMounted(async () => {
    try {
      const body = (await (await fetchWithAuth(`${API}/me`)).json()) as {
        sub: string;
        tokenType: string;
      };
      me.value = `${body.sub} (${body.tokenType})`;
    } catch (error) {
      me.value = `error: ${(error as Error).name}`;
    }
  });
  return () => h('p', { id: 'api' }, me.value);
});

const app = createApp(() => h(RouterView));
const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: Home },
    // Only with a session: without one, the login page, then back here.
    { path: '/notes', component: Notes, beforeEnter: createAuthGuard(app) },
    // The worker's redirect_uri: the plugin finishes the login and routes to its target.
    { path: '/callback', component: Home },
  ],
});
// The router first: the plugin routes to the login's target with it.
app
  .use(router)
  .use(createAuth0({ workerUrl: '/auth-worker.js' }))
  .mount('#app');
