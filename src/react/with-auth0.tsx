import type { ComponentType, Context, ReactNode } from 'react';
import { Auth0Context, type Auth0ContextInterface } from './auth0-context.js';

/** The prop `withAuth0` adds. */
export interface WithAuth0Props {
  auth0: Auth0ContextInterface;
}

/**
 * Gives a class component the session as its `auth0` prop (auth0-react's `withAuth0`).
 *
 * @example
 * ```tsx
 * class Profile extends Component<WithAuth0Props> {
 *   render() { return <p>{this.props.auth0.user?.name}</p>; }
 * }
 * export default withAuth0(Profile);
 * ```
 */
export function withAuth0<P extends WithAuth0Props>(
  Component: ComponentType<P>,
  context: Context<Auth0ContextInterface> = Auth0Context,
): ComponentType<Omit<P, keyof WithAuth0Props>> {
  return function WithAuth(props: Omit<P, keyof WithAuth0Props>): ReactNode {
    return (
      <context.Consumer>
        {(auth0: Auth0ContextInterface) => <Component {...(props as P)} auth0={auth0} />}
      </context.Consumer>
    );
  };
}
