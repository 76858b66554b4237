/** A rich-text document shown read-only, drawn by the same code the editor loads documents with (rich-model.ts). */
import { useLayoutEffect, useRef, type MouseEventHandler } from 'react';
import { contentToDom, type Content, type NameOf } from './rich-model';

export function RichView({
  content,
  nameOf,
  className = '',
  onMouseUp,
}: {
  content: Content | undefined;
  nameOf: NameOf;
  className?: string;
  onMouseUp?: MouseEventHandler<HTMLDivElement>;
}) {
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    box.current!.replaceChildren(contentToDom(document, content, nameOf));
  });
  return <div ref={box} className={`rich ${className}`} onMouseUp={onMouseUp} />;
}
